package net.b4mad.successor.jobs;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.charts.LossCurve;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;
import net.b4mad.successor.memory.MemoryEstimate;
import net.b4mad.successor.memory.MemoryEstimator;
import net.b4mad.successor.memory.ModelShape;
import net.b4mad.successor.memory.TrainingSetup;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Training as background jobs: {@code train_sft} / {@code train_dpo} queue a run and return at once, a detached
 * worker process runs it (it outlives this server), and the job tools watch, wait for, cancel and resume it.
 */
public final class JobsArea implements ToolArea {

  public static final String METRICS_TEMPLATE = "successor://runs/{id}/metrics";
  public static final String LOSS_CURVE_TEMPLATE = "successor://runs/{id}/loss.png";
  private static final Pattern RUN_URI = Pattern.compile("successor://runs/([A-Za-z0-9._-]+)/(metrics|loss\\.png)");
  private static final Pattern DATASET_REF = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}(@[a-z0-9]+)?");
  private static final Duration WAIT_POLL = Duration.ofMillis(500);

  private static final String TRAINING_PROPERTIES =
      """
      "model": {"type": "string", "description": "The base model directory (Hugging Face layout: config.json, safetensors, tokenizer.json), inside the workspace or an allowed directory."},
      "dataset": {"type": "string", "description": "$DATASET"},
      "eval_dataset": {"type": "string", "description": "A JSONL file for evaluation when dataset is a file."},
      "adapter": {"type": "string", "description": "A PEFT adapter directory to continue from (its rank and targets are kept), e.g. runs/<job>/adapter of an SFT job."},
      "qlora": {"type": "boolean", "default": false, "description": "Quantise the base to 4-bit NF4 (QLoRA): about a quarter of the base's memory, a little slower."},
      "rank": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 16, "description": "LoRA rank r."},
      "alpha": {"type": "number", "exclusiveMinimum": 0, "description": "lora_alpha; default 2 x rank."},
      "dropout": {"type": "number", "minimum": 0, "maximum": 0.99, "default": 0, "description": "lora_dropout (0.05-0.1 regularises small datasets, at some speed)."},
      "targets": {"type": "array", "items": {"type": "string", "enum": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}, "description": "Projections to adapt; default all seven."},
      "rslora": {"type": "boolean", "default": false, "description": "Rank-stabilised scaling alpha/sqrt(r)."},
      "modules_to_save": {"type": "array", "items": {"type": "string", "enum": ["embed_tokens", "lm_head", "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "q_norm", "k_norm", "input_layernorm", "post_attention_layernorm", "norm"]}, "uniqueItems": true, "description": "Train these in full beside the adapter, as PEFT's modules_to_save: embed_tokens and lm_head to learn new tokens; a projection saved is no longer a LoRA target; 'norm' is every norm; all of embed_tokens, lm_head, the seven projections and norm is a full fine-tune. Costly: full tensors, gradients and optimizer state in float32."},
      "lr": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": "Peak learning rate; default $LR."},
      "epochs": {"type": "integer", "minimum": 1, "default": 1, "description": "Passes over the data."},
      "max_steps": {"type": "integer", "minimum": 1, "description": "Optimizer steps; overrides epochs."},
      "batch_size": {"type": "integer", "minimum": 1, "default": 2, "description": "$BATCH per forward pass."},
      "grad_accum": {"type": "integer", "minimum": 1, "default": 4, "description": "Forward passes per optimizer step."},
      "max_length": {"type": "integer", "minimum": 2, "default": 2048, "description": "Longest sequence in tokens; longer examples are dropped and counted, never cut."},
      "warmup_ratio": {"type": "number", "minimum": 0, "maximum": 0.99, "default": 0.03},
      "weight_decay": {"type": "number", "minimum": 0, "default": 0},
      "max_grad_norm": {"type": "number", "minimum": 0, "default": 1.0, "description": "Clip the global gradient norm; 0 turns clipping off."},
      "scheduler": {"type": "string", "enum": ["cosine", "constant"], "default": "cosine"},
      "seed": {"type": "integer", "default": 42},
      "eval_steps": {"type": "integer", "minimum": 1, "default": 100},
      "save_steps": {"type": "integer", "minimum": 1, "default": 100, "description": "Checkpoint every N steps (and at the end); job_resume continues from the last."},
      "logging_steps": {"type": "integer", "minimum": 1, "default": 10},
      "save_total_limit": {"type": "integer", "minimum": 1, "default": 3},
      "train_on": {"type": "string", "enum": ["assistant", "all"], "default": "assistant", "description": "Loss on assistant turns (tool calls included) or on every token."},
      "gradient_checkpointing": {"type": "boolean", "default": true, "description": "Recompute activations per layer in the backward pass: far less memory, about a third more compute."},
      "priority": {"type": "integer", "default": 0, "description": "Higher runs first; equal priorities run in the order queued."},
      "bead_id": {"type": "string", "description": "Track the job on this existing bead instead of a new one."},
      "memory_gib": {"type": "number", "exclusiveMinimum": 0, "description": "Memory the run may use, for the fit check; default the GPU's memory, or the system's available memory on a CPU."}""";

  private static final String DPO_PROPERTIES =
      """
      "beta": {"type": "number", "exclusiveMinimum": 0, "default": 0.1, "description": "DPO beta: how far the policy may move from the reference."},
      "loss_type": {"type": "string", "enum": ["sigmoid", "ipo"], "default": "sigmoid"}""";

  private static final String ENQUEUED_OUTPUT =
      """
      {"type": "object", "properties": {
        "job_id": {"type": "string"}, "bead_id": {"type": ["string", "null"]}, "run_dir": {"type": "string"},
        "state": {"type": "string"},
        "memory": {"type": "object", "description": "The memory estimate the fit check used, in bytes and GiB."}},
       "required": ["job_id", "run_dir", "state", "memory"]}""";

  private static final String STATUS_OUTPUT =
      """
      {"type": "object", "properties": {
        "job_id": {"type": "string"}, "kind": {"type": "string"},
        "state": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]},
        "priority": {"type": "integer"}, "bead_id": {"type": ["string", "null"]}, "run_dir": {"type": "string"},
        "step": {"type": ["integer", "null"]}, "total_steps": {"type": ["integer", "null"]},
        "loss": {"type": ["number", "null"]}, "eval_loss": {"type": ["number", "null"]},
        "tokens_per_s": {"type": ["number", "null"]}, "eta_s": {"type": ["number", "null"], "description": "Seconds left at the recent pace."},
        "rss_mib": {"type": ["number", "null"]}, "peak_rss_mib": {"type": ["number", "null"]},
        "error": {"type": ["string", "null"]}, "cancel_requested": {"type": "boolean"},
        "worker_pid": {"type": ["integer", "null"], "description": "The worker process that runs or ran the job."},
        "created_at": {"type": "string"}, "started_at": {"type": ["string", "null"]}, "finished_at": {"type": ["string", "null"]},
        "heartbeat_at": {"type": ["string", "null"]},
        "history": {"type": "array", "items": {"type": "object", "properties": {"at": {"type": "string"}, "state": {"type": "string"}, "detail": {"type": ["string", "null"]}}}},
        "result": {"type": ["object", "null"], "description": "result.json once the run has ended: final metrics, data report, adapter path."}},
       "required": ["job_id", "kind", "state", "run_dir", "history"]}""";

  private static final String JOB_ID_INPUT =
      """
      {"type": "object", "properties": {"job_id": {"type": "string", "description": "A job id from train_sft, train_dpo or job_list."}},
       "required": ["job_id"], "additionalProperties": false}""";

  private final Workspace workspace;
  private final JobQueue queue;
  private final WorkerLauncher launcher;
  private final JobBeads beads;

  public JobsArea(Workspace workspace, JobQueue queue) {
    this.workspace = workspace;
    this.queue = queue;
    this.launcher = queue.launcher();
    this.beads = queue.beads();
  }

  private JobStore jobs() {
    return queue.store();
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition("train_sft", "Train (SFT)",
            "Queue supervised fine-tuning of a LoRA (or QLoRA) adapter on a Qwen3 base, with the loss on the"
                + " assistant turns of chat examples (tool calls included). Returns at once with job_id, bead_id and"
                + " run_dir; a background worker trains (hours on a GPU for an 8B model) and survives this session."
                + " Watch with job_status or job_wait; the PEFT adapter lands in run_dir/adapter. Refuses, with the"
                + " numbers, a run whose memory estimate does not fit the device. Defaults suit a 24 GB GPU.",
            trainingInput(false), ENQUEUED_OUTPUT, new ToolHints(false, false, false), call -> enqueue(call, "sft")),
        new ToolDefinition("train_dpo", "Train (DPO)",
            "Queue direct preference optimisation of a LoRA (or QLoRA) adapter on preference pairs (JSONL of"
                + " {prompt, tools, chosen, rejected}, TRL's conversational form; tool calls kept). Usually after"
                + " SFT: pass that run's adapter, which is also the frozen reference. Returns at once with job_id,"
                + " bead_id and run_dir, like train_sft.",
            trainingInput(true), ENQUEUED_OUTPUT, new ToolHints(false, false, false), call -> enqueue(call, "dpo")),
        new ToolDefinition("estimate_memory", "Estimate training memory",
            "Estimate the peak memory of a LoRA or QLoRA run before queueing it: base weights, adapter, gradients,"
                + " optimizer state, activations, logits and overhead, and whether it fits the given memory (default"
                + " a 24 GB GPU). Reads only the model's config.json. Read-only.",
            ESTIMATE_INPUT, "{\"type\": \"object\"}", ToolHints.READ_ONLY, this::estimate),
        new ToolDefinition("job_status", "Job status",
            "The state of a job (queued, running, succeeded, failed, cancelled), its progress (step of total,"
                + " loss, eval loss, tokens/s, ETA, memory), its bead, its history of state changes, its error if it"
                + " failed, and its result once done. Read-only.",
            JOB_ID_INPUT, STATUS_OUTPUT, ToolHints.READ_ONLY, call -> status(call.string("job_id", null))),
        new ToolDefinition("job_list", "List jobs",
            "Jobs newest first, optionally only those in one state or of one kind, each as job_status reports it."
                + " Read-only.",
            """
            {"type": "object", "properties": {
              "state": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled"]},
              "kind": {"type": "string", "description": "sft, dpo, eval or pairs."},
              "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 20}},
             "additionalProperties": false}""",
            "{\"type\": \"object\", \"properties\": {\"jobs\": {\"type\": \"array\", \"items\": " + STATUS_OUTPUT + "}},"
                + " \"required\": [\"jobs\"]}",
            ToolHints.READ_ONLY, this::list),
        new ToolDefinition("job_logs", "Job logs",
            "The last lines of a job's log (run_dir/log.txt): the worker's start, a line per logged step, the end"
                + " or the error with its stack trace. Read-only.",
            """
            {"type": "object", "properties": {
              "job_id": {"type": "string"},
              "lines": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 50, "description": "How many lines from the end."}},
             "required": ["job_id"], "additionalProperties": false}""",
            """
            {"type": "object", "properties": {"job_id": {"type": "string"}, "lines": {"type": "array", "items": {"type": "string"}}},
             "required": ["job_id", "lines"]}""",
            ToolHints.READ_ONLY, this::logs),
        new ToolDefinition("job_cancel", "Cancel a job",
            "Cancel a job: a queued one at once; a running one stops after its current step, keeping a checkpoint"
                + " (job_resume continues it). Returns the job's status.",
            JOB_ID_INPUT, STATUS_OUTPUT, new ToolHints(false, true, true), this::cancel),
        new ToolDefinition("job_resume", "Resume a job",
            "Queue a failed or cancelled job again; it continues from its last checkpoint (the same data order, so it"
                + " ends as an uninterrupted run would). Use it after a worker was killed or the machine restarted."
                + " Returns the job's status.",
            JOB_ID_INPUT, STATUS_OUTPUT, new ToolHints(false, false, false), this::resume),
        new ToolDefinition("job_wait", "Wait for a job",
            "Block until a job has ended or timeout_s passed, sending progress notifications (step of total and"
                + " loss) meanwhile; returns job_status's object, whose state says which it was. Read-only.",
            """
            {"type": "object", "properties": {
              "job_id": {"type": "string"},
              "timeout_s": {"type": "number", "minimum": 0, "maximum": 3600, "default": 60, "description": "Longest wait in seconds; call again to keep waiting."}},
             "required": ["job_id"], "additionalProperties": false}""",
            STATUS_OUTPUT, ToolHints.READ_ONLY, this::await));
  }

  private static final String ESTIMATE_INPUT =
      """
      {"type": "object", "properties": {
        "model": {"type": "string", "description": "A model directory or its config.json."},
        "qlora": {"type": "boolean", "default": false},
        "rank": {"type": "integer", "minimum": 1, "default": 16},
        "targets": {"type": "array", "items": {"type": "string", "enum": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]}},
        "batch_size": {"type": "integer", "minimum": 1, "default": 1, "description": "Sequences per forward pass (a DPO pair counts two)."},
        "max_length": {"type": "integer", "minimum": 1, "default": 2048},
        "gradient_checkpointing": {"type": "boolean", "default": true},
        "memory_gib": {"type": "number", "exclusiveMinimum": 0, "default": 24, "description": "Memory to fit in, GiB."}},
       "required": ["model"], "additionalProperties": false}""";

  private static String trainingInput(boolean dpo) {
    String properties = TRAINING_PROPERTIES
        .replace("$DATASET", dpo
            ? "Preference pairs: a JSONL file, or a directory with train.jsonl (and eval.jsonl)."
            : "A dataset version ('name', 'name@latest' or 'name@<version>', as dataset_build made it) or a JSONL"
                + " file of {messages, tools} examples.")
        .replace("$LR", dpo ? "5e-6" : "2e-4")
        .replace("$BATCH", dpo ? "Preference pairs" : "Sequences");
    if (dpo) {
      properties += ",\n" + DPO_PROPERTIES;
    }
    return "{\"type\": \"object\", \"properties\": {\n" + properties
        + "},\n \"required\": [\"model\", \"dataset\"], \"additionalProperties\": false}";
  }

  private Map<String, Object> enqueue(ToolCall call, String kind) {
    ObjectNode settings = Json.MAPPER.valueToTree(call.arguments());
    int priority = (int) call.integer("priority", 0);
    String beadId = call.string("bead_id", null);
    Double memoryGib = call.arguments().get("memory_gib") instanceof Number n ? n.doubleValue() : null;
    for (String key : List.of("priority", "bead_id", "memory_gib")) {
      settings.remove(key);
    }
    settings.put("method", kind);
    settings.put("model", resolvePath(call, "model").toString());
    settings.put("dataset", resolveDataset(call.string("dataset", null)).toString());
    for (String optional : List.of("eval_dataset", "adapter")) {
      if (call.arguments().get(optional) != null) {
        settings.put(optional, resolvePath(call, optional).toString());
      }
    }
    TrainingConfig config;
    try {
      config = TrainingConfig.fromJson(settings);
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage(), e);
    }
    Map<String, Object> memory = checkMemory(config, memoryGib);
    Job job = queue.submit(kind, Json.MAPPER.valueToTree(config), priority, beadId, workspace.runsDir());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("job_id", job.id());
    result.put("bead_id", job.beadId());
    result.put("run_dir", job.runDir());
    result.put("state", job.state().label());
    result.put("memory", memory);
    return result;
  }

  /** Refuses a run that will not fit, with the numbers; returns the estimate otherwise. */
  private Map<String, Object> checkMemory(TrainingConfig config, Double memoryGib) {
    long budget = memoryGib != null ? Math.round(memoryGib * (1L << 30)) : ComputeDevices.trainingMemoryBytes();
    if (budget <= 0) {
      budget = MemoryEstimator.RTX_4090_BYTES;
    }
    MemoryEstimate estimate;
    try {
      estimate = MemoryEstimator.estimate(ModelShape.read(Path.of(config.model())), TrainingSetup.of(config), budget);
    } catch (IllegalArgumentException e) {
      throw new ToolException("model: " + e.getMessage(), e);
    }
    Map<String, Object> json = estimate.toJson();
    if (!estimate.fits()) {
      throw new ToolException(String.format(Locale.ROOT,
          "this run needs about %.1f GiB but %.1f GiB are available (%s); lower batch_size or max_length, turn on"
              + " qlora or gradient_checkpointing, or pass memory_gib if the device has more. Estimate: %s",
          estimate.total() / (double) (1L << 30), budget / (double) (1L << 30),
          memoryGib != null ? "memory_gib" : ComputeDevices.probe().device(), Json.write(json)));
    }
    return json;
  }

  private Object estimate(ToolCall call) {
    List<String> targets = call.strings("targets");
    if (targets.isEmpty()) {
      targets = net.b4mad.successor.lora.LoraConfig.ALL_LINEAR;
    }
    double gib = call.number("memory_gib", 24);
    try {
      TrainingSetup setup = new TrainingSetup(call.bool("qlora", false), (int) call.integer("rank", 16), targets,
          List.of(), (int) call.integer("batch_size", 1), (int) call.integer("max_length", 2048),
          call.bool("gradient_checkpointing", true));
      MemoryEstimate estimate =
          MemoryEstimator.estimate(ModelShape.read(resolvePath(call, "model")), setup, Math.round(gib * (1L << 30)));
      Map<String, Object> result = new LinkedHashMap<>(estimate.toJson());
      result.put("assumptions", MemoryEstimator.ASSUMPTIONS);
      return result;
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage(), e);
    }
  }

  private Path resolvePath(ToolCall call, String argument) {
    String given = call.string(argument, null);
    Path path = workspace.allowedRoots().resolve(given);
    if (!Files.exists(path)) {
      throw new ToolException(argument + ": nothing at " + path + " (from '" + given + "')");
    }
    return path;
  }

  /** A dataset version reference made by dataset_build, or a path. */
  private Path resolveDataset(String given) {
    if (DATASET_REF.matcher(given).matches()) {
      DatasetStore datasets = new DatasetStore(workspace);
      String name = given.contains("@") ? given.substring(0, given.indexOf('@')) : given;
      if (datasets.latest(name).isPresent()) {
        return datasets.resolve(given.contains("@") ? given : given + "@latest").dir();
      }
    }
    Path path = workspace.allowedRoots().resolve(given);
    if (!Files.exists(path)) {
      throw new ToolException("dataset: '" + given + "' is neither a dataset (dataset_list shows them) nor a file or"
          + " directory (" + path + ")");
    }
    return path;
  }

  /** Fails running jobs whose worker is gone before anyone looks at them. */
  private void sweep() {
    if (!WorkerLock.held(workspace.root())) {
      jobs().failStale(Duration.ZERO, pid -> false, beads);
    } else {
      jobs().failStale(JobWorker.STALE_AFTER,
          pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), beads);
    }
  }

  public JobStatus status(String id) {
    sweep();
    JobStore store = jobs();
    return JobStatus.of(store.require(id), store.events(id));
  }

  private Map<String, Object> list(ToolCall call) {
    sweep();
    JobStore store = jobs();
    String state = call.string("state", null);
    List<JobStatus> statuses = new ArrayList<>();
    for (Job job : store.list(state == null ? null : JobState.parse(state), call.string("kind", null),
        (int) call.integer("limit", 20))) {
      statuses.add(JobStatus.of(job, store.events(job.id())));
    }
    return Map.of("jobs", statuses);
  }

  private Map<String, Object> logs(ToolCall call) {
    Job job = jobs().require(call.string("job_id", null));
    Path log = Path.of(job.runDir()).resolve(JobWorker.LOG);
    List<String> lines = List.of();
    if (Files.isRegularFile(log)) {
      try {
        lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + log + ": " + e.getMessage(), e);
      }
    }
    int keep = (int) call.integer("lines", 50);
    return Map.of("job_id", job.id(), "lines", lines.subList(Math.max(0, lines.size() - keep), lines.size()));
  }

  private JobStatus cancel(ToolCall call) {
    String id = call.string("job_id", null);
    sweep();
    Job job = jobs().cancel(id);
    if (job.state() == JobState.CANCELLED) {
      beads.finished(job, JobState.CANCELLED, "cancelled before it started");
    }
    return status(id);
  }

  private JobStatus resume(ToolCall call) {
    String id = call.string("job_id", null);
    sweep();
    jobs().resume(id);
    launcher.ensureRunning();
    return status(id);
  }

  private JobStatus await(ToolCall call) throws InterruptedException {
    String id = call.string("job_id", null);
    double timeout = call.number("timeout_s", 60);
    long deadline = System.nanoTime() + (long) (timeout * 1e9);
    Integer lastStep = null;
    while (true) {
      JobStatus status = status(id);
      if (status.step() != null && !status.step().equals(lastStep)) {
        lastStep = status.step();
        call.context().progress(status.step(), status.totalSteps() == null ? null : status.totalSteps().doubleValue(),
            "step " + status.step() + (status.totalSteps() == null ? "" : " of " + status.totalSteps())
                + (status.loss() == null ? "" : String.format(Locale.ROOT, ", loss %.4g", status.loss())));
      }
      if (JobState.parse(status.state()).ended() || System.nanoTime() >= deadline) {
        return status;
      }
      call.context().checkCancelled();
      Thread.sleep(WAIT_POLL.toMillis());
    }
  }

  @Override
  public List<SyncResourceTemplateSpecification> resourceTemplates() {
    return List.of(
        ToolArea.template(METRICS_TEMPLATE, "run-metrics", "Run metrics",
            "A training run's metrics.jsonl: one JSON object per logged step (step, total_steps, loss, eval_loss,"
                + " lr, grad_norm, tokens_per_s, memory).", "application/x-ndjson", this::read),
        ToolArea.template(LOSS_CURVE_TEMPLATE, "run-loss-curve", "Run loss curve",
            "The loss and eval loss of a training run over its steps, as a PNG.", "image/png", this::read));
  }

  private McpSchema.ReadResourceResult read(String uri) {
    Matcher matcher = RUN_URI.matcher(uri);
    if (!matcher.matches()) {
      throw McpError.RESOURCE_NOT_FOUND.apply(uri);
    }
    Job job = jobs().get(matcher.group(1)).orElseThrow(() -> McpError.RESOURCE_NOT_FOUND.apply(uri));
    Path runDir = Path.of(job.runDir());
    List<JsonNode> metrics = RunDirectory.metrics(runDir);
    if (matcher.group(2).equals("metrics")) {
      StringBuilder lines = new StringBuilder();
      metrics.forEach(line -> lines.append(Json.write(line)).append('\n'));
      return new McpSchema.ReadResourceResult(
          List.of(new McpSchema.TextResourceContents(uri, "application/x-ndjson", lines.toString())));
    }
    byte[] png = LossCurve.png(metrics, job.kind() + " " + job.id());
    return new McpSchema.ReadResourceResult(
        List.of(new McpSchema.BlobResourceContents(uri, "image/png", Base64.getEncoder().encodeToString(png))));
  }
}
