#!/usr/bin/env python3
"""Writes the generated examples: B4mad agent traces in every format Successor imports, the general chat and
generic tool use that warm up the demo's tiny model, and a preference set.

    python3 examples/generate.py        # rewrites examples/traces/, examples/warmup/, examples/preferences/

The output is committed, and the same seed gives the same files. The conversations are templates filled with
entities drawn per conversation (bead ids, repositories, hosts, cities, dates, people, job ids), so a held-out
conversation asks for things no training conversation named: a model passes it by copying the values from the
request into the call's arguments, not by remembering them.
"""

import json
import random
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SEED = 20250611

# --- tools -----------------------------------------------------------------------------------------------------


def tool(name, description, properties, required):
    return {"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": properties, "required": required}}}


S = {"type": "string"}
TOOLS = {t["function"]["name"]: t for t in [
    tool("bead_create", "Create a bead (a tracked issue).",
         {"title": S, "type": {"type": "string", "enum": ["bug", "feature", "task"]}, "priority": {"type": "integer"}},
         ["title"]),
    tool("bead_update", "Set a bead's status.",
         {"id": S, "status": {"type": "string", "enum": ["open", "in_progress", "blocked"]}}, ["id", "status"]),
    tool("bead_close", "Close a bead with a reason.", {"id": S, "reason": S}, ["id", "reason"]),
    tool("bead_show", "Show a bead.", {"id": S}, ["id"]),
    tool("run_command", "Run a shell command.", {"command": S}, ["command"]),
    tool("delegate_task", "Hand a task to another agent.",
         {"agent": {"type": "string", "enum": ["brenner", "romanov", "pltops", "lotti"]}, "task": S},
         ["agent", "task"]),
    tool("search_papers", "Search research papers.", {"query": S, "since": {"type": "integer"}}, ["query"]),
    tool("get_weather", "The weather forecast for a city and day.", {"city": S, "date": S}, ["city", "date"]),
    tool("calendar_create_event", "Add an event to the calendar.",
         {"title": S, "date": S, "time": S, "attendees": {"type": "array", "items": S}}, ["title", "date"]),
    tool("travel_search", "Search train connections.", {"origin": S, "destination": S, "date": S},
         ["origin", "destination", "date"]),
    tool("traces_import", "Import trace files into Successor.", {"path": S}, ["path"]),
    tool("dataset_build", "Build a dataset version from the traces.", {"name": S}, ["name"]),
    tool("train_sft", "Queue an SFT training job.", {"model": S, "dataset": S}, ["model", "dataset"]),
    tool("job_status", "A job's state and progress.", {"job_id": S}, ["job_id"]),
    tool("eval_run", "Queue an eval of an adapter.", {"adapter": S}, ["adapter"]),
]}

AGENTS = {
    "brenner": ("You are Brenner, B4mad's coding agent: the repositories, builds and reviews. Work is tracked in beads.",
                ["bead_update", "bead_close", "run_command", "delegate_task"]),
    "pltops": ("You are PLTops, B4mad's operations agent: clusters, deployments and CI machines. Work is tracked in"
               " beads.", ["run_command", "bead_create", "bead_update", "delegate_task"]),
    "romanov": ("You are Romanov, B4mad's research and writing agent. Work is tracked in beads.",
                ["search_papers", "bead_create", "bead_show", "delegate_task"]),
    "lotti": ("You are Lotti, B4mad's office agent: the calendar and travel.",
              ["get_weather", "calendar_create_event", "travel_search", "delegate_task"]),
    "successor": ("You are Brenner, B4mad's coding agent. You fine-tune B4mad's agent model with Successor's tools.",
                  ["traces_import", "dataset_build", "train_sft", "job_status", "eval_run"]),
}

# --- entities --------------------------------------------------------------------------------------------------

REPOS = ["successor", "b4mad-agents", "racing-telemetry", "op1st-portal", "beads-sync", "kube-gitops", "docs-site",
         "invoice-bot", "model-cards", "trace-scrubber", "ci-images", "ansible-roles"]
HOSTS = ["runner-01", "runner-02", "runner-07", "gpu-node-3", "gpu-node-5", "build-box", "edge-fra", "edge-ams",
         "db-main", "db-replica", "ci-arm64", "nas-01"]
NAMESPACES = ["successor", "monitoring", "ingress", "b4mad-web", "argocd", "racing", "vault", "minio", "keycloak"]
DEPLOYMENTS = ["api", "worker", "frontend", "grafana", "prometheus", "gateway", "scheduler"]
CITIES = ["Berlin", "Hamburg", "Munich", "Cologne", "Leipzig", "Dresden", "Vienna", "Zurich", "Prague", "Amsterdam",
          "Brussels", "Paris", "Lyon", "Milan", "Lisbon", "Madrid", "Copenhagen", "Stockholm", "Oslo", "Warsaw",
          "Bremen", "Hanover", "Stuttgart", "Frankfurt", "Bonn", "Potsdam", "Graz", "Basel", "Rotterdam", "Ghent"]
PEOPLE = ["Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ines", "Jonas", "Katrin", "Lukas",
          "Mara", "Noah", "Olga", "Paul", "Rosa", "Sven", "Tara", "Uwe"]
MEETINGS = ["Sprint review", "Budget call", "Customer demo", "Team lunch", "Quarterly planning", "Design review",
            "Support sync", "Board meeting", "Onboarding", "Release retro"]
TOPICS = ["LoRA rank selection", "DPO for tool use", "tool-calling benchmarks", "QLoRA memory", "speculative decoding",
          "reward hacking", "agent memory", "synthetic data quality", "long-context evaluation", "model merging",
          "curriculum learning", "data deduplication"]
PROBLEMS = ["the nightly build fails", "the login page is slow", "the exporter drops metrics", "the cache is stale",
            "the upload times out", "the parser rejects empty files", "the retry loop never ends",
            "the dashboard shows no data", "the backup job is skipped", "the certificate expires soon"]
REASONS = ["fixed in {repo}", "duplicate of {other}", "done, merged to main", "no longer needed",
           "works again after the restart", "released in {repo}"]
MODELS = ["models/Qwen3-0.6B", "models/Qwen3-1.7B", "models/Qwen3-4B", "models/Qwen3-8B"]
STATUSES = ["open", "in_progress", "blocked"]


class Draw:
    """Random entities for one conversation."""

    def __init__(self, rng):
        self.rng = rng

    def bead(self):
        # beads' ids: a prefix and a short base36 hash with a letter and a digit
        while True:
            tail = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(4))
            if any(c.isdigit() for c in tail) and any(c.isalpha() for c in tail):
                return "b4-" + tail

    def date(self):
        return f"2026-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def time(self):
        return f"{self.rng.randint(8, 17):02d}:{self.rng.choice(['00', '15', '30', '45'])}"

    def job(self):
        return f"sft-2026{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}-{self.rng.randrange(16 ** 4):04x}"

    def pick(self, values):
        return self.rng.choice(values)


# --- conversations ---------------------------------------------------------------------------------------------
# A conversation is (agent, [messages]) in the OpenAI form; calls are ("name", {arguments}) until written out.


def call(tool_name, **arguments):
    return {"role": "assistant", "content": "", "calls": [(tool_name, arguments)]}


def result(value):
    return {"role": "tool", "content": value if isinstance(value, str) else json.dumps(value)}


def user(text):
    return {"role": "user", "content": text}


def answer(text):
    return {"role": "assistant", "content": text}


def start_bead(d):
    bead = d.bead()
    ask = d.pick(["Start working on {b}.", "I'm picking up {b}, mark it in progress.", "Set {b} to in progress.",
                  "Please move {b} to in progress."]).format(b=bead)
    return [user(ask), call("bead_update", id=bead, status="in_progress"),
            result({"id": bead, "status": "in_progress"}),
            answer(d.pick(["{b} is in progress now.", "Done: {b} is marked in progress."]).format(b=bead))]


def block_bead(d):
    bead, other = d.bead(), d.bead()
    ask = d.pick(["{b} can't go on until {o} is done; mark it blocked.", "Mark {b} as blocked, it waits for {o}.",
                  "Set {b} to blocked."]).format(b=bead, o=other)
    return [user(ask), call("bead_update", id=bead, status="blocked"), result({"id": bead, "status": "blocked"}),
            answer(d.pick(["{b} is blocked now.", "Marked {b} as blocked."]).format(b=bead))]


def close_bead(d):
    bead = d.bead()
    reason = d.pick(REASONS).format(repo=d.pick(REPOS), other=d.bead())
    ask = d.pick(["Close {b}: {r}.", "{b} can be closed, reason: {r}.", "Please close {b} ({r})."]).format(b=bead, r=reason)
    return [user(ask), call("bead_close", id=bead, reason=reason), result({"id": bead, "status": "closed"}),
            answer(d.pick(["Closed {b}.", "{b} is closed."]).format(b=bead))]


def create_bead(d):
    problem = d.pick(PROBLEMS)
    priority = d.rng.randint(0, 3)
    kind = d.pick(["bug", "task"])
    ask = d.pick(["File a {k}: {p}. Priority {n}.", "Open a {k} with priority {n}: {p}.",
                  "Please create a priority {n} {k}: {p}."]).format(k=kind, p=problem, n=priority)
    new = d.bead()
    return [user(ask), call("bead_create", title=problem, type=kind, priority=priority),
            result({"id": new, "title": problem, "status": "open"}),
            answer(d.pick(["Filed {b}: {p}.", "Created {b}."]).format(b=new, p=problem))]


def show_bead(d):
    bead = d.bead()
    status = d.pick(STATUSES)
    title = d.pick(PROBLEMS)
    ask = d.pick(["What's the state of {b}?", "Show me {b}.", "Where are we with {b}?"]).format(b=bead)
    return [user(ask), call("bead_show", id=bead), result({"id": bead, "title": title, "status": status}),
            answer("{b} ({t}) is {s}.".format(b=bead, t=title, s=status.replace("_", " ")))]


def pods(d):
    ns = d.pick(NAMESPACES)
    ask = d.pick(["Check the pods in namespace {n}.", "Are the pods in {n} healthy?", "List the pods of {n}."]).format(n=ns)
    pod = f"{d.pick(DEPLOYMENTS)}-{d.rng.randrange(16 ** 5):05x}"
    return [user(ask), call("run_command", command=f"kubectl get pods -n {ns}"),
            result(f"NAME READY STATUS RESTARTS\n{pod} 1/1 Running 0"),
            answer(f"The pods in {ns} are running.")]


def restart(d):
    ns, dep = d.pick(NAMESPACES), d.pick(DEPLOYMENTS)
    ask = d.pick(["Restart the {d} deployment in {n}.", "Please restart deployment {d} in namespace {n}."]).format(d=dep, n=ns)
    return [user(ask), call("run_command", command=f"kubectl rollout restart deployment/{dep} -n {ns}"),
            result(f"deployment.apps/{dep} restarted"), answer(f"Restarted {dep} in {ns}.")]


def disk(d):
    host = d.pick(HOSTS)
    used = d.rng.randint(20, 97)
    ask = d.pick(["How full is the disk on {h}?", "Check the disk space of {h}.", "Is {h} running out of disk?"]).format(h=host)
    return [user(ask), call("run_command", command=f"ssh {host} df -h /"),
            result(f"Filesystem Size Used Avail Use% Mounted on\n/dev/sda1 200G {used * 2}G {200 - used * 2}G {used}% /"),
            answer(f"The disk of {host} is {used}% full.")]


def tests(d):
    repo = d.pick(REPOS)
    ask = d.pick(["Run the tests of {r}.", "Do the tests in {r} pass?", "Please run the {r} test suite."]).format(r=repo)
    failures = d.pick([0, 0, 1, 2])
    return [user(ask), call("run_command", command=f"make -C {repo} test"),
            result(f"Tests run: {d.rng.randint(40, 400)}, Failures: {failures}"),
            answer(f"The tests of {repo} pass." if failures == 0 else f"{failures} test(s) of {repo} fail.")]


def git_log(d):
    repo, n = d.pick(REPOS), d.rng.randint(2, 9)
    ask = d.pick(["Show me the last {n} commits of {r}.", "What are the {n} newest commits in {r}?"]).format(n=n, r=repo)
    return [user(ask), call("run_command", command=f"git -C {repo} log --oneline -n {n}"),
            result("\n".join(f"{d.rng.randrange(16 ** 7):07x} {d.pick(PROBLEMS)}" for _ in range(n))),
            answer(f"Those are the last {n} commits of {repo}.")]


def work_on_build(d):
    bead, repo = d.bead(), d.pick(REPOS)
    ask = d.pick(["Take {b}: the build of {r} is red.", "{b} is yours: {r} doesn't build."]).format(b=bead, r=repo)
    return [user(ask), call("bead_update", id=bead, status="in_progress"),
            result({"id": bead, "status": "in_progress"}), call("run_command", command=f"make -C {repo} test"),
            result("Tests run: 120, Failures: 1"), answer(f"{bead} is in progress; one test of {repo} fails.")]


def papers(d):
    topic, year = d.pick(TOPICS), d.rng.randint(2019, 2025)
    ask = d.pick(["Find papers on {t} since {y}.", "What has been published on {t} since {y}?"]).format(t=topic, y=year)
    return [user(ask), call("search_papers", query=topic, since=year),
            result({"results": [{"title": f"On {topic}", "year": year + 1}]}),
            answer(f"The newest paper on {topic} is 'On {topic}' ({year + 1}).")]


def write_up(d):
    topic = d.pick(TOPICS)
    ask = d.pick(["Open a bead to write up {t}.", "Track a write-up on {t} in a bead."]).format(t=topic)
    new = d.bead()
    return [user(ask), call("bead_create", title=f"Write-up: {topic}", type="task"),
            result({"id": new, "status": "open"}), answer(f"Opened {new} for the write-up on {topic}.")]


def weather(d):
    city, date = d.pick(CITIES), d.date()
    ask = d.pick(["What's the weather in {c} on {d}?", "Will it rain in {c} on {d}?", "Weather for {c}, {d}?"]).format(c=city, d=date)
    degrees = d.rng.randint(-5, 30)
    return [user(ask), call("get_weather", city=city, date=date),
            result({"city": city, "date": date, "forecast": "cloudy", "celsius": degrees}),
            answer(f"{city} on {date}: cloudy, {degrees} degrees.")]


def meeting(d):
    title, person, date, time = d.pick(MEETINGS), d.pick(PEOPLE), d.date(), d.time()
    ask = d.pick(["Put '{m}' with {p} in the calendar on {d} at {t}.", "Schedule {m} with {p} on {d} at {t}."]).format(
        m=title, p=person, d=date, t=time)
    return [user(ask), call("calendar_create_event", title=title, date=date, time=time, attendees=[person]),
            result({"created": True}), answer(f"{title} with {person} is in the calendar on {date} at {time}.")]


def trains(d):
    origin, destination = d.rng.sample(CITIES, 2)
    date = d.date()
    ask = d.pick(["Find trains from {a} to {b} on {d}.", "I need a train from {a} to {b} on {d}."]).format(
        a=origin, b=destination, d=date)
    return [user(ask), call("travel_search", origin=origin, destination=destination, date=date),
            result({"connections": [{"departs": "08:12", "arrives": "12:40"}]}),
            answer(f"The first train from {origin} to {destination} on {date} leaves at 08:12.")]


DOMAINS = {"brenner": "code", "romanov": "research and writing", "pltops": "operations", "lotti": "the office"}
TASKS = {
    "brenner": ["fix the failing tests of {repo}", "review the open pull request in {repo}", "bump the Java version of {repo}"],
    "pltops": ["restart the runner {host}", "free disk space on {host}", "renew the certificate of {host}"],
    "romanov": ["summarise the papers on {topic}", "write a blog post on {topic}", "draft a report on {topic}"],
    "lotti": ["book a train to {city} on {date}", "invoice the {city} customer for {date}", "plan a meeting in {city} on {date}"],
}


def delegation(d, agent):
    other = d.pick([a for a in TASKS if a != agent])
    task = d.pick(TASKS[other]).format(repo=d.pick(REPOS), host=d.pick(HOSTS), topic=d.pick(TOPICS),
                                       city=d.pick(CITIES), date=d.date())
    name = {"pltops": "PLTops"}.get(other, other.capitalize())
    ask = d.pick(["Ask {a} to {t}.", "Please get {a} to {t}.", "Hand this to {a}: {t}."]).format(a=name, t=task)
    return [user(ask), call("delegate_task", agent=other, task=task), result({"accepted": True}),
            answer(f"{name} will {task}.")]


def import_traces(d):
    path = f"/data/traces/{d.pick(list(DOMAINS))}/{d.date()}.jsonl"
    ask = d.pick(["Import the traces in {p}.", "Please load the traces from {p} into Successor."]).format(p=path)
    n = d.rng.randint(20, 900)
    return [user(ask), call("traces_import", path=path), result({"imported": n, "duplicates": 0}),
            answer(f"Imported {n} conversations from {path}.")]


def build_dataset(d):
    name = f"{d.pick(list(DOMAINS))}-tools-v{d.rng.randint(2, 9)}"
    ask = d.pick(["Build a dataset called {n} from the traces.", "Make dataset {n} out of the traces."]).format(n=name)
    version = f"{d.rng.randrange(16 ** 12):012x}"
    return [user(ask), call("dataset_build", name=name), result({"ref": f"{name}@{version}", "train": 180, "eval": 20}),
            answer(f"Built {name}@{version}.")]


def train(d):
    model = d.pick(MODELS)
    name = f"{d.pick(list(DOMAINS))}-tools-v{d.rng.randint(2, 9)}"
    ask = d.pick(["Train {m} on {n}.", "Start an SFT run of {m} on dataset {n}."]).format(m=model, n=name)
    job = d.job()
    return [user(ask), call("train_sft", model=model, dataset=name), result({"job_id": job, "state": "queued"}),
            answer(f"Queued {job}.")]


def job_status(d):
    job = d.job()
    step = d.rng.randint(1, 99) * 10
    ask = d.pick(["How is job {j} doing?", "What's the status of {j}?"]).format(j=job)
    return [user(ask), call("job_status", job_id=job), result({"state": "running", "step": step, "total_steps": 1000}),
            answer(f"{job} is at step {step} of 1000.")]


def evaluate(d):
    job = d.job()
    ask = d.pick(["Evaluate the adapter of {j}.", "Run an eval of {j}."]).format(j=job)
    return [user(ask), call("eval_run", adapter=job), result({"eval_id": "eval-" + job[4:], "state": "queued"}),
            answer(f"The eval of {job} is queued.")]


INTENTS = {
    "brenner": [start_bead, block_bead, close_bead, tests, git_log, work_on_build],
    "pltops": [pods, restart, disk, create_bead, start_bead, block_bead],
    "romanov": [papers, write_up, show_bead, create_bead],
    "lotti": [weather, meeting, trains],
    "successor": [import_traces, build_dataset, train, job_status, evaluate],
}


def conversation(d, agent):
    intents = INTENTS[agent]
    # A fifth of each agent's conversations hand work to another agent.
    if d.rng.random() < 0.2:
        return delegation(d, "brenner" if agent == "successor" else agent)
    return d.pick(intents)(d)


# --- formats ---------------------------------------------------------------------------------------------------


def openai(agent, messages, ids):
    system, names = AGENTS[agent]
    out = [{"role": "system", "content": system}]
    for m in messages:
        if "calls" in m:
            out.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": ids.pop(0), "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
                for n, a in m["calls"]]})
        elif m["role"] == "tool":
            out.append({"role": "tool", "tool_call_id": out[-1]["tool_calls"][-1]["id"], "content": m["content"]})
        else:
            out.append(m)
    return {"messages": out, "tools": [TOOLS[n] for n in names]}


def anthropic(agent, messages, ids):
    system, names = AGENTS[agent]
    out = []
    for m in messages:
        if "calls" in m:
            out.append({"role": "assistant", "content": [
                {"type": "tool_use", "id": ids.pop(0), "name": n, "input": a} for n, a in m["calls"]]})
        elif m["role"] == "tool":
            out.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": out[-1]["content"][-1]["id"], "content": m["content"]}]})
        else:
            out.append({"role": m["role"], "content": m["content"]})
    tools = [{"name": n, "description": TOOLS[n]["function"]["description"],
              "input_schema": TOOLS[n]["function"]["parameters"]} for n in names]
    return {"system": system, "messages": out, "tools": tools}


def sharegpt(agent, messages):
    system, names = AGENTS[agent]
    turns = []
    for m in messages:
        if "calls" in m:
            value = [{"name": n, "arguments": a} for n, a in m["calls"]]
            turns.append({"from": "function_call", "value": json.dumps(value[0] if len(value) == 1 else value)})
        elif m["role"] == "tool":
            turns.append({"from": "observation", "value": m["content"]})
        else:
            turns.append({"from": "human" if m["role"] == "user" else "gpt", "value": m["content"]})
    tools = [TOOLS[n]["function"] for n in names]
    return {"conversations": turns, "system": system, "tools": json.dumps(tools)}


def canonical(agent, messages, ids, session, started):
    system, names = AGENTS[agent]
    out = [{"role": "system", "content": system}]
    for m in messages:
        if "calls" in m:
            out.append({"role": "assistant", "content": None,
                        "tool_calls": [{"id": ids.pop(0), "name": n, "arguments": a} for n, a in m["calls"]]})
        elif m["role"] == "tool":
            out.append({"role": "tool", "content": m["content"], "tool_call_id": out[-1]["tool_calls"][-1]["id"]})
        else:
            out.append({"role": m["role"], "content": m["content"]})
    metadata = {"agent": agent, "source": "b4mad-agents", "session_id": session, "started_at": started,
                "outcome": "success", "tags": ["example"]}
    return {"messages": out, "tools": [TOOLS[n] for n in names], "metadata": metadata}


def claude_code(messages, session, rng, started):
    """A Claude Code session file: Brenner at the terminal, its calls as Claude Code's Bash and MCP tools."""
    lines = []
    parent = None
    names = {"run_command": "Bash", "bead_update": "mcp__beads__bead_update", "bead_close": "mcp__beads__bead_close",
             "delegate_task": "mcp__b4mad__delegate_task"}
    for i, m in enumerate(messages):
        line_id = str(uuid.UUID(int=rng.getrandbits(128)))
        stamp = f"{started[:-1]}.{i:03d}Z"
        base = {"parentUuid": parent, "isSidechain": False, "userType": "external", "cwd": "/home/brenner/src",
                "sessionId": session, "version": "1.0.51", "uuid": line_id, "timestamp": stamp}
        if "calls" in m:
            tool_id = "toolu_" + f"{rng.getrandbits(96):024x}"
            n, a = m["calls"][0]
            arguments = {"command": a["command"], "description": "Run " + a["command"].split()[0]} if n == "run_command" else a
            base.update(type="assistant", message={
                "id": "msg_" + f"{rng.getrandbits(96):024x}", "type": "message", "role": "assistant",
                "model": "claude-sonnet-4-5", "content": [{"type": "tool_use", "id": tool_id, "name": names[n],
                                                           "input": arguments}]})
        elif m["role"] == "tool":
            base.update(type="user", message={"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": lines[-1]["message"]["content"][0]["id"], "content": m["content"]}]})
        elif m["role"] == "user":
            base.update(type="user", message={"role": "user", "content": m["content"]})
        else:
            base.update(type="assistant", message={
                "id": "msg_" + f"{rng.getrandbits(96):024x}", "type": "message", "role": "assistant",
                "model": "claude-sonnet-4-5", "content": [{"type": "text", "text": m["content"]}]})
        lines.append(base)
        parent = line_id
    return lines


# --- general chat for the warm-up ------------------------------------------------------------------------------

CAPITALS = {"France": "Paris", "Germany": "Berlin", "Austria": "Vienna", "Italy": "Rome", "Spain": "Madrid",
            "Portugal": "Lisbon", "Poland": "Warsaw", "Sweden": "Stockholm", "Norway": "Oslo", "Denmark": "Copenhagen",
            "Finland": "Helsinki", "Ireland": "Dublin", "Greece": "Athens", "Hungary": "Budapest", "Czechia": "Prague",
            "Belgium": "Brussels", "Netherlands": "Amsterdam", "Switzerland": "Bern", "Japan": "Tokyo",
            "Canada": "Ottawa", "Egypt": "Cairo", "Kenya": "Nairobi", "Peru": "Lima", "Chile": "Santiago"}
WORDS = ["river", "garden", "engine", "window", "paper", "yellow", "quiet", "market", "winter", "signal", "forest",
         "silver", "bridge", "rocket", "pencil", "ocean", "castle", "planet", "orange", "ladder", "cable", "mirror"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
KEYS = [("name", "city"), ("title", "date"), ("id", "status"), ("from", "to"), ("product", "price"), ("host", "port")]


def general(d):
    """One short general conversation, no tools: facts, arithmetic, copying text and writing JSON."""
    kind = d.rng.randrange(7)
    if kind == 0:
        country = d.pick(list(CAPITALS))
        q, a = d.pick(["What is the capital of {c}?", "Which city is the capital of {c}?"]).format(c=country), \
            f"The capital of {country} is {CAPITALS[country]}."
    elif kind == 1:
        x, y = d.rng.randint(1, 50), d.rng.randint(1, 50)
        q, a = f"What is {x} plus {y}?", f"{x} plus {y} is {x + y}."
    elif kind == 2:
        said = " ".join([phrase(d, 1, 6), d.pick([d.bead(), d.pick(CITIES), d.date(), d.pick(REPOS), code(d)])])
        q, a = d.pick(["Repeat after me: {p}", "Say exactly this: {p}"]).format(p=said), said
    elif kind == 3:
        keys = d.pick(KEYS)
        values = [d.pick([d.pick(PEOPLE), d.pick(CITIES), d.bead(), d.date(), d.pick(HOSTS), d.pick(WORDS)])
                  for _ in keys]
        text = ", ".join(f"{k} {v}" for k, v in zip(keys, values))
        q, a = f"Write as a JSON object: {text}.", json.dumps(dict(zip(keys, values)))
    elif kind == 4:
        day = d.rng.randrange(7)
        q, a = f"What day comes after {DAYS[day]}?", f"{DAYS[(day + 1) % 7]} comes after {DAYS[day]}."
    elif kind == 5:
        word = d.pick(WORDS + CITIES)
        q, a = f"How do you spell {word} in capitals?", word.upper()
    else:
        first, second = d.rng.sample(WORDS, 2)
        q = f"Which comes first in the alphabet, {first} or {second}?"
        a = f"{min(first, second)} comes first."
    return {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                         {"role": "user", "content": q}, {"role": "assistant", "content": a}]}


# Generic tools, none of B4mad's: a real base model arrives able to call tools it is shown, so the warm-up teaches
# the tool-call format and copying values from a request into arguments, and leaves B4mad's tools to the traces.
GENERIC_TOOLS = {t["function"]["name"]: t for t in [
    tool("convert_currency", "Convert an amount between currencies.",
         {"amount": {"type": "number"}, "from": S, "to": S}, ["amount", "from", "to"]),
    tool("set_timer", "Start a timer.", {"minutes": {"type": "integer"}, "label": S}, ["minutes", "label"]),
    tool("send_email", "Send an email.", {"to": S, "subject": S}, ["to", "subject"]),
    tool("define_word", "Look a word up in the dictionary.", {"word": S}, ["word"]),
    tool("stock_price", "The latest price of a stock.", {"symbol": S}, ["symbol"]),
    tool("translate", "Translate a text.", {"text": S, "language": S}, ["text", "language"]),
    tool("play_music", "Play music by an artist.", {"artist": S}, ["artist"]),
    tool("book_table", "Book a restaurant table.", {"restaurant": S, "people": {"type": "integer"}, "time": S},
         ["restaurant", "people", "time"]),
]}
CURRENCIES = ["EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "PLN"]
SYMBOLS = ["ACME", "GLOBX", "INITECH", "UMBRL", "HOOLI", "VANDL", "WAYNE", "STARK"]
ARTISTS = ["Nina Simone", "Kraftwerk", "Miles Davis", "Bjork", "Daft Punk", "Aretha Franklin", "Radiohead"]
RESTAURANTS = ["Zur Linde", "Blue Door", "Trattoria Roma", "Golden Dragon", "Cafe Central", "La Mer", "Sakura"]
LANGUAGES = ["German", "French", "Spanish", "Italian", "Dutch", "Polish"]


def generic_request(d):
    """A request for one generic tool, its call (values copied from the request), a result and a short answer."""
    name = d.pick(list(GENERIC_TOOLS))
    if name == "convert_currency":
        amount, src, dst = d.rng.randint(5, 900), *d.rng.sample(CURRENCIES, 2)
        q, args, out = f"How much is {amount} {src} in {dst}?", {"amount": amount, "from": src, "to": dst}, \
            {"amount": round(amount * d.rng.uniform(0.5, 1.5), 2), "currency": dst}
        a = f"{amount} {src} is {out['amount']} {dst}."
    elif name == "set_timer":
        minutes, label = d.rng.randint(1, 90), d.pick(WORDS)
        q, args, out = f"Set a {minutes} minute timer called {label}.", {"minutes": minutes, "label": label}, {"ok": True}
        a = f"The {label} timer runs for {minutes} minutes."
    elif name == "send_email":
        to, subject = d.pick(PEOPLE).lower() + "@example.org", f"{d.pick(MEETINGS)} on {d.date()}"
        q, args, out = f"Email {to} with the subject {subject}.", {"to": to, "subject": subject}, {"sent": True}
        a = f"Sent to {to}."
    elif name == "define_word":
        word = d.pick(WORDS)
        q, args, out = f"What does {word} mean?", {"word": word}, {"definition": f"a common word: {word}"}
        a = f"{word.capitalize()} is a common word."
    elif name == "stock_price":
        symbol = d.pick(SYMBOLS)
        q, args, out = f"What is {symbol} trading at?", {"symbol": symbol}, {"price": d.rng.randint(10, 500)}
        a = f"{symbol} trades at {out['price']}."
    elif name == "translate":
        text, language = " ".join(d.rng.sample(WORDS, 2)), d.pick(LANGUAGES)
        q, args, out = f"Translate '{text}' into {language}.", {"text": text, "language": language}, {"text": text}
        a = f"In {language}: {text}."
    elif name == "play_music":
        artist = d.pick(ARTISTS)
        q, args, out = f"Play something by {artist}.", {"artist": artist}, {"playing": artist}
        a = f"Playing {artist}."
    else:
        restaurant, people, time = d.pick(RESTAURANTS), d.rng.randint(2, 8), d.time()
        q, args, out = f"Book a table at {restaurant} for {people} at {time}.", \
            {"restaurant": restaurant, "people": people, "time": time}, {"booked": True}
        a = f"Booked {restaurant} for {people} at {time}."
    return name, [user(q), call(name, **args), result(out), {"role": "assistant", "content": a}]


# Made-up tools, verb_noun, for the warm-up: with hundreds of names a model cannot remember which tool a request
# wants, it has to read the tools it is shown, as a real base model does; the near misses offered beside the right
# one (same verb or same noun) make it read both words.
VERBS = ["get", "find", "cancel", "create", "delete", "update", "show", "list", "check", "send", "book", "start",
         "stop", "close", "open", "track", "rename", "archive", "restore", "share", "pause", "approve", "assign"]
NOUNS = ["order", "invoice", "ticket", "flight", "package", "meeting", "account", "report", "playlist", "file", "note",
         "task", "reminder", "device", "project", "contract", "shipment", "room", "user", "alarm", "backup", "payment",
         "review", "campaign", "course"]
# Words of the bundled tokenizer's vocabulary: values to copy, so that the warm-up shows the model every common
# word at least as a copy target (a tiny model trained on a few templates learns that any other token never comes).
TOKENIZER = ROOT.parent / "tools/src/main/resources/net/b4mad/successor/tokenizer/qwen3-8k/tokenizer.json"
VOCABULARY = sorted({token[1:] for token in json.loads(TOKENIZER.read_text())["model"]["vocab"]
                     if token.startswith("\u0120") and token[1:].isalpha() and token[1:].islower() and len(token) > 3})
PERSONAS = ["You are a helpful assistant.", "You are a helpful assistant. Use the tools when a request needs them.",
            "You are Ada, the operations assistant of Northwind Logistics.",
            "You are Max, a support agent for Contoso. Answer briefly and call tools for actions.",
            "You are the office assistant of Initech. Keep answers short."]


def code(d):
    """An identifier as systems print them: INV-4821, x7k2q, #5521, AB12-CD."""
    letters, digits = "ABCDEFGHJKLMNPQRSTUVWXYZ", "0123456789"
    kind = d.rng.randrange(4)
    if kind == 0:
        return "".join(d.rng.choice(letters) for _ in range(3)) + "-" + "".join(d.rng.choice(digits) for _ in range(4))
    if kind == 1:
        return "".join(d.rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(5))
    if kind == 2:
        return "#" + str(d.rng.randint(1000, 99999))
    return d.rng.choice(letters) + d.rng.choice(letters) + str(d.rng.randint(10, 99)) + "-" + d.rng.choice(letters) \
        + d.rng.choice(letters)


def made_up_tool(verb, noun):
    """The schema of verb_noun: the noun's id, and for some verbs a second argument."""
    properties, required = {f"{noun}_id": S}, [f"{noun}_id"]
    extra = {"send": ("to", S), "share": ("with", S), "assign": ("to", S), "rename": ("name", S),
             "book": ("date", S), "create": ("title", S), "update": ("status", S), "list": ("limit", {"type": "integer"})}
    if verb in extra:
        key, schema = extra[verb]
        properties[key] = schema
        required.append(key)
    return tool(f"{verb}_{noun}", f"{verb.capitalize()} a {noun} by its id.", properties, required)


def phrase(d, low=2, high=5):
    """A few words of the vocabulary: nonsense to copy exactly."""
    return " ".join(d.pick(VOCABULARY) for _ in range(d.rng.randint(low, high)))


def made_up_request(d):
    """A request for one made-up tool, its call with the values copied from the request, a result and an answer."""
    if d.rng.random() < 0.5:
        verb, noun = d.pick(VERBS), d.pick(NOUNS)
    else:
        verb, noun = d.pick(VOCABULARY), d.pick(VOCABULARY)
    spec = made_up_tool(verb, noun)
    ident = code(d)
    args = {f"{noun}_id": ident}
    extra = [k for k in spec["function"]["parameters"]["required"] if k != f"{noun}_id"]
    tail = ""
    if extra:
        key = extra[0]
        value = {"to": d.pick(PEOPLE).lower() + "@example.org", "with": d.pick(PEOPLE), "name": phrase(d),
                 "date": d.date(), "title": phrase(d), "status": d.pick(["done", "waiting", "active"]),
                 "limit": d.rng.randint(2, 20)}[key]
        args[key] = value
        tail = {"to": f" to {value}", "with": f" with {value}", "name": f" to {value}", "date": f" for {value}",
                "title": f" titled {value}", "status": f" to {value}", "limit": f", at most {value}"}[key]
    q = d.pick(["Please {v} the {n} {i}{t}.", "{V} {n} {i}{t}.", "Can you {v} {n} {i}{t}?", "I need you to {v} the {n} {i}{t}.",
                "{V} the {n} with id {i}{t}, please."]).format(v=verb, V=verb.capitalize(), n=noun, i=ident, t=tail)
    note = phrase(d)
    out = {"ok": True, f"{noun}_id": ident, "note": note}
    a = d.pick(["Done: {n} {i} ({x}).", "The {n} {i} is taken care of: {x}.", "{V} {n} {i}: {x}."]).format(
        n=noun, i=ident, V=verb.capitalize(), x=note)
    distractors = {f"{d.pick(VERBS)}_{noun}", f"{d.pick(VOCABULARY)}_{noun}", f"{verb}_{d.pick(NOUNS)}",
                   f"{verb}_{d.pick(VOCABULARY)}"}
    distractors.discard(f"{verb}_{noun}")
    offered = [spec] + [made_up_tool(*name.split("_", 1)) for name in sorted(distractors)]
    return f"{verb}_{noun}", [user(q), call(f"{verb}_{noun}", **args), result(out), {"role": "assistant", "content": a}], offered


def copying(d):
    """Repeat after me: ids, dates and words to copy exactly; the first warm-up phase, with the loss on every token,
    where a tiny model learns to copy (its induction heads form) before it learns tool calls."""
    said = " ".join(d.pick([phrase(d, 1, 4), code(d), d.bead(), d.date()]) for _ in range(d.rng.randint(3, 8)))
    return {"messages": [{"role": "user", "content": "Repeat after me: " + said}, {"role": "assistant", "content": said}]}


def generic_tool_use(d, number):
    """A conversation with generic tools offered: mostly a request for one of them, sometimes a plain question."""
    made_up = [made_up_tool(d.pick(VERBS), d.pick(NOUNS)) for _ in range(2)]
    if d.rng.random() < 0.2:
        chat = general(d)["messages"][1:]
        tools = [GENERIC_TOOLS[n] for n in d.rng.sample(list(GENERIC_TOOLS), 2)] + made_up
    elif d.rng.random() < 0.35:
        name, chat = generic_request(d)
        tools = [GENERIC_TOOLS[n] for n in d.rng.sample([n for n in GENERIC_TOOLS if n != name], 1) + [name]] + made_up
    else:
        name, chat, tools = made_up_request(d)
    tools = list({t["function"]["name"]: t for t in tools}.values())
    d.rng.shuffle(tools)
    out = [{"role": "system", "content": d.pick(PERSONAS)}]
    for m in chat:
        if "calls" in m:
            out.append({"role": "assistant", "content": None, "tool_calls": [
                {"id": f"call_w{number}", "type": "function", "function": {"name": n, "arguments": json.dumps(a)}}
                for n, a in m["calls"]]})
        elif m["role"] == "tool":
            out.append({"role": "tool", "tool_call_id": f"call_w{number}", "content": m["content"]})
        else:
            out.append(m)
    return {"messages": out, "tools": tools}


# --- preferences -----------------------------------------------------------------------------------------------


def preference(d):
    """A DPO pair: the call with the id from the request against a wrong id, a wrong tool or no call."""
    agent = d.pick(["brenner", "pltops"])
    messages = start_bead(d) if d.rng.random() < 0.5 else close_bead(d)
    record = openai(agent, messages[:2], ["call_1"])
    prompt, chosen = record["messages"][:-1], record["messages"][-1]
    wrong = json.loads(chosen["tool_calls"][0]["function"]["arguments"])
    flaw = d.rng.randrange(3)
    if flaw == 0:
        wrong["id"] = d.bead()
        rejected = {**chosen, "tool_calls": [{**chosen["tool_calls"][0], "function": {
            "name": chosen["tool_calls"][0]["function"]["name"], "arguments": json.dumps(wrong)}}]}
    elif flaw == 1:
        rejected = {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
            "name": "run_command", "arguments": json.dumps({"command": f"bd show {wrong['id']}"})}}]}
    else:
        rejected = {"role": "assistant", "content": f"Sure, I'll take care of {wrong['id']}."}
    return {"prompt": prompt, "tools": record["tools"], "chosen": [chosen], "rejected": [rejected]}


# --- main ------------------------------------------------------------------------------------------------------

COUNTS = {"openai": 150, "anthropic": 120, "sharegpt": 100, "canonical": 90, "claude-code": 24}


def write_jsonl(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main():
    rng = random.Random(SEED)
    d = Draw(rng)
    agents = list(AGENTS)
    call_id = [0]

    def ids(n):
        call_id[0] += n
        return [f"call_{call_id[0] - n + i + 1}" for i in range(n)]

    def calls_in(messages):
        return sum(1 for m in messages if "calls" in m)

    traces = ROOT / "traces"
    for old in (traces / "claude-code").glob("*.jsonl"):
        old.unlink()
    for fmt, count in COUNTS.items():
        records = []
        for i in range(count):
            agent = agents[i % len(agents)]
            messages = conversation(d, agent)
            if fmt == "openai":
                records.append(openai(agent, messages, ids(calls_in(messages))))
            elif fmt == "anthropic":
                records.append(anthropic(agent, messages, ["toolu_" + c for c in ids(calls_in(messages))]))
            elif fmt == "sharegpt":
                records.append(sharegpt(agent, messages))
            elif fmt == "canonical":
                started = f"{d.date()}T{d.time()}:00Z"
                records.append(canonical(agent, messages, ids(calls_in(messages)), f"b4mad-{uuid.UUID(int=rng.getrandbits(128))}", started))
            else:
                messages = d.pick([start_bead, close_bead, tests, git_log, work_on_build])(d)
                session = str(uuid.UUID(int=rng.getrandbits(128)))
                write_jsonl(traces / fmt / f"{session}.jsonl",
                            claude_code(messages, session, rng, f"{d.date()}T{d.time()}:00Z"))
        if records:
            write_jsonl(traces / fmt / "b4mad-agents.jsonl", records)

    # The warm-up draws from its own stream, so that changing it leaves the traces and the preferences as they are.
    w = Draw(random.Random(SEED + 1))
    warmup = [general(w) for _ in range(2000)] + [generic_tool_use(w, i) for i in range(3000)]
    w.rng.shuffle(warmup)
    write_jsonl(ROOT / "warmup" / "general.jsonl", warmup)
    c = Draw(random.Random(SEED + 2))
    write_jsonl(ROOT / "warmup" / "copying.jsonl", [copying(c) for _ in range(20000)])
    write_jsonl(ROOT / "preferences" / "tool-calls.jsonl", [preference(d) for _ in range(40)])


if __name__ == "__main__":
    main()
