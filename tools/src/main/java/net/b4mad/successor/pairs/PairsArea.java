package net.b4mad.successor.pairs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.eval.EvalSuites;
import net.b4mad.successor.jobs.Job;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.node.ObjectNode;

/**
 * Preference pairs for DPO from the model's own answers: {@code preference_pairs_build} queues a {@code pairs}
 * job that samples answers to the prompts of a suite or dataset, judges them with the eval checker, and writes the
 * (best passing, worst failing) pairs as a dataset version for {@code train_dpo}.
 */
public final class PairsArea implements ToolArea {

  private static final String INPUT = """
      {"type": "object", "properties": {
        "model": {"type": "string", "description": "The base model directory (Hugging Face layout) that answers."},
        "adapter": {"type": "string", "description": "A PEFT adapter directory to apply, e.g. runs/<job>/adapter of an SFT job: the policy DPO will continue."},
        "suite": {"type": "string", "description": "Prompts from eval suites: a name from eval_suites ('b4mad' for the collection, 'b4mad/delegation' for one) or a suite file path. Its tool_calls, no_call and delegate cases are the prompts; episodes are left out and counted. Give this or dataset."},
        "dataset": {"type": "string", "description": "Prompts from a dataset: a version ('name', 'name@latest', 'name@<version>') or a JSONL file of {messages, tools}. Every assistant turn that answers a user or tool message is a prompt (the conversation before it) expecting that turn: exactly its tool calls with its argument values, or no call for a text answer."},
        "split": {"type": "string", "enum": ["train", "eval"], "default": "train", "description": "The split of a dataset version to take the prompts from."},
        "samples": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4, "description": "Answers sampled per prompt (N). A prompt yields a pair when at least one passes and one fails."},
        "temperature": {"type": "number", "minimum": 0, "default": 0.8},
        "top_p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.95},
        "top_k": {"type": "integer", "minimum": 0, "default": 20, "description": "0 turns the top-k cut off."},
        "max_new_tokens": {"type": "integer", "minimum": 1, "maximum": 8192, "default": 512},
        "seed": {"type": "integer", "default": 0, "description": "Each sample's seed derives from this, the prompt and the sample's index: the same settings give the same pairs."},
        "limit": {"type": "integer", "minimum": 1, "description": "At most this many prompts, the first ones (a quick run)."},
        "use_gold_when_none_pass": {"type": "boolean", "default": false, "description": "When no sample of a prompt passes, pair its gold answer (the suite's gold, or the dataset's own turn) with the worst sample."},
        "name": {"type": "string", "description": "The dataset to write the pairs to as a new version; default '<source>-pairs'."},
        "priority": {"type": "integer", "default": 0},
        "bead_id": {"type": "string", "description": "Track the job on this existing bead instead of a new one."}},
       "required": ["model"], "additionalProperties": false}""";

  private static final String OUTPUT = """
      {"type": "object", "properties": {
        "job_id": {"type": "string"}, "bead_id": {"type": ["string", "null"]}, "run_dir": {"type": "string"},
        "state": {"type": "string"},
        "dataset": {"type": "string", "description": "The dataset the pairs will be a version of; train_dpo takes it as 'dataset' (or name@latest) once the job succeeded."},
        "source": {"type": "string"},
        "prompts": {"type": "integer", "description": "Prompts to sample, after the limit."},
        "episodes_skipped": {"type": "integer"}, "turns_skipped": {"type": "integer"}},
       "required": ["job_id", "run_dir", "state", "dataset", "source", "prompts"]}""";

  private final Workspace workspace;
  private final JobQueue queue;
  private final EvalSuites suites;

  public PairsArea(Workspace workspace, JobQueue queue) {
    this.workspace = workspace;
    this.queue = queue;
    this.suites = EvalSuites.of(workspace);
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(new ToolDefinition("preference_pairs_build", "Build preference pairs",
        "Queue a job that builds DPO preference pairs from the model's own answers: for each prompt of a suite or"
            + " dataset it samples N answers, judges each with the eval checker (as eval_run does), and pairs the best"
            + " passing answer (chosen) with the worst failing one (rejected), keeping their tool calls. The pairs"
            + " become a new version of a dataset (default '<source>-pairs') that train_dpo takes as its dataset."
            + " Returns at once with job_id, bead_id and run_dir; job_wait / job_status then report 'P of Q prompts"
            + " yielded a pair' and the version. Prompts where every answer passes or every one fails yield none:"
            + " raise samples or temperature, or set use_gold_when_none_pass.",
        INPUT, OUTPUT, new ToolHints(false, false, false), this::build));
  }

  private Map<String, Object> build(ToolCall call) {
    String suite = call.string("suite", null);
    String dataset = call.string("dataset", null);
    if ((suite == null) == (dataset == null)) {
      throw new ToolException("give either suite (a name from eval_suites or a suite file) or dataset (a dataset"
          + " version or a JSONL file of {messages, tools}) as the prompts, not " + (suite == null ? "neither" : "both"));
    }
    ObjectNode settings = Json.MAPPER.valueToTree(call.arguments());
    for (String key : List.of("priority", "bead_id", "suite")) {
      settings.remove(key);
    }
    settings.put("model", existing(call.string("model", null), "model").toString());
    if (call.arguments().get("adapter") != null) {
      settings.put("adapter", existing(call.string("adapter", null), "adapter").toString());
    }
    String source;
    String base;
    if (suite != null) {
      settings.set("suites", Json.MAPPER.valueToTree(suites.resolve(suite).stream().map(Path::toString).toList()));
      source = suite;
      base = suite.matches(".*\\.jsonl?$") ? Path.of(suite).getFileName().toString().replaceFirst("\\.jsonl?$", "")
          : suite;
    } else {
      DatasetStore store = new DatasetStore(workspace);
      String name = dataset.contains("@") ? dataset.substring(0, dataset.indexOf('@')) : dataset;
      if (DatasetStore.NAME.matcher(name).matches() && store.latest(name).isPresent()) {
        DatasetStore.VersionRef version;
        try {
          version = store.resolve(dataset);
        } catch (IllegalArgumentException e) {
          throw new ToolException("dataset: " + e.getMessage(), e);
        }
        settings.put("dataset", version.dir().toString());
        source = version.ref();
        base = version.name();
      } else {
        Path path = workspace.allowedRoots().resolve(dataset);
        if (!Files.exists(path)) {
          throw new ToolException("dataset: '" + dataset + "' is neither a dataset (dataset_list shows them) nor a"
              + " file or directory (" + path + ")");
        }
        settings.put("dataset", path.toString());
        source = path.toString();
        base = path.getFileName().toString().replaceFirst("\\.jsonl?$", "");
      }
    }
    settings.put("source", source);
    if (!settings.has("name")) {
      settings.put("name", pairsName(base));
    }
    PairsSettings.Prompts prompts;
    try {
      prompts = PairsSettings.fromJson(settings).prompts();
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage(), e);
    }
    Job job = queue.submit(PairsJobRunner.KIND, settings, (int) call.integer("priority", 0),
        call.string("bead_id", null), workspace.runsDir());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("job_id", job.id());
    result.put("bead_id", job.beadId());
    result.put("run_dir", job.runDir());
    result.put("state", job.state().label());
    result.put("dataset", settings.get("name").asString());
    result.put("source", source);
    result.put("prompts", prompts.prompts().size());
    result.put("episodes_skipped", prompts.episodes());
    result.put("turns_skipped", prompts.skipped().size());
    return result;
  }

  /** {@code <base>-pairs}, with what a dataset name may not hold replaced. */
  static String pairsName(String base) {
    String name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    name = name.substring(0, Math.min(name.length(), 58));
    return (name.isEmpty() ? "prompts" : name) + "-pairs";
  }

  private Path existing(String given, String argument) {
    Path path = workspace.allowedRoots().resolve(given);
    if (!Files.exists(path)) {
      throw new ToolException(argument + ": nothing at " + path + " (from '" + given + "')");
    }
    return path;
  }
}
