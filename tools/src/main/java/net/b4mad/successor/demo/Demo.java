package net.b4mad.successor.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.datasets.BuildRequest;
import net.b4mad.successor.datasets.BuildResult;
import net.b4mad.successor.datasets.DatasetBuilder;
import net.b4mad.successor.datasets.TokenCounter;
import net.b4mad.successor.eval.EvalComparison;
import net.b4mad.successor.eval.EvalJobRunner;
import net.b4mad.successor.eval.EvalReport;
import net.b4mad.successor.eval.EvalRuns;
import net.b4mad.successor.eval.EvalSettings;
import net.b4mad.successor.eval.PromotionGate;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.files.BundledFiles;
import net.b4mad.successor.jobs.Job;
import net.b4mad.successor.jobs.JobBeads;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.jobs.JobRunner;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.jobs.JobStatus;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.jobs.JobWorker;
import net.b4mad.successor.jobs.TrackingBeads;
import net.b4mad.successor.jobs.TrainingJobRunner;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraMerge;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.models.Adapters;
import net.b4mad.successor.models.ProductionPointer;
import net.b4mad.successor.models.Promoter;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.traces.ImportReport;
import net.b4mad.successor.traces.TraceFilter;
import net.b4mad.successor.traces.TraceImport;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.node.ObjectNode;

/**
 * The self-tuning loop end to end on a tiny model, offline: a random Qwen3 with the bundled tokenizer, warmed up
 * on general chat and generic tool use (a random base writes noise, and real bases arrive pretrained and able to
 * call the tools they are shown; none of the warm-up's tools is B4mad's), the bundled B4mad traces
 * imported, a dataset built with a held-out split, the base evaluated on the held-out conversations, a LoRA SFT
 * run, the tuned model evaluated on the same cases, the two compared, and the tuned model promoted if it passes
 * the gate against the base. Every step goes through the services the MCP tools use: trace import, dataset
 * build, training and eval jobs run by a job worker (here in this process), and the promotion behind
 * {@code model_promote} ({@link Promoter}); so the workspace afterwards holds what an agent's loop leaves (traces, a dataset version, runs with their beads,
 * evals, the production history) and {@code successor serve --workspace} shows it.
 */
public final class Demo {

  /** Where the demo's inputs lie in the jar: the traces by format, and the warm-up chat. */
  static final String TRACES = "demo/traces";
  static final List<String> FORMATS = List.of("openai", "anthropic", "claude-code", "sharegpt", "canonical");
  static final String WARMUP = "demo/warmup";

  static final String DATASET = "demo";
  static final String RANDOM_BASE = "demo-random";
  static final String BASE = "demo-base";

  /**
   * The model's shape and the training budget.
   *
   * @param evalCases held-out cases evaluated, the first ones; null for all
   */
  public record Plan(int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate,
      int warmupSteps, int warmupBatch, double warmupLr, int sftSteps, int sftBatch, double sftLr, int rank,
      Integer evalCases, int maxNewTokens, long seed) {

    /** The whole demo: under ten minutes on two CPU cores. */
    public static Plan full(long seed) {
      return new Plan(128, 4, 4, 2, 32, 384, 400, 8, 3e-3, 150, 8, 5e-3, 16, null, 96, seed);
    }

    /** A short run for tests of the loop itself: the same steps, too little training to lift the base. */
    public static Plan quick(long seed) {
      return new Plan(128, 4, 4, 2, 32, 384, 100, 8, 3e-3, 40, 8, 5e-3, 16, 20, 48, seed);
    }
  }

  /** What {@code successor demo --json} prints: pass rates by category and overall, before and after. */
  public record Summary(Map<String, Double> before, Map<String, Double> after, boolean promoted, long seconds) {}

  /**
   * The summary and what the demo's table shows.
   *
   * @param promotion why the tuned model was or was not promoted
   */
  public record Result(Summary summary, EvalComparison.Result comparison, List<String> promotion, Path workspace) {}

  /** Told what the demo is doing, a stage at a time. */
  public interface Progress {

    /** How many stages {@link #run} has: model, warm-up, import, dataset, eval base, SFT, eval tuned, promote. */
    int STAGES = 8;

    void stage(String name);

    /** Within the current stage: training steps or eval cases done, of how many. */
    void advance(int done, int total);

    /** The current stage ended; one line on how. */
    void finished(String outcome);
  }

  private static final long POLL_MS = 200;

  private final Workspace workspace;
  private final Beads beads;
  private final Plan plan;
  private final Progress progress;

  public Demo(Workspace workspace, Beads beads, Plan plan, Progress progress) {
    this.workspace = workspace;
    this.beads = beads;
    this.plan = plan;
    this.progress = progress;
  }

  public Result run() throws IOException, InterruptedException {
    long started = System.nanoTime();
    Path models = workspace.modelsDir();
    if (Files.exists(models.resolve(BASE))) {
      throw new IllegalArgumentException(workspace.root() + " holds an earlier demo (models/" + BASE
          + "); give the demo a new --workspace");
    }
    JobStore jobs = new JobStore(workspace.store());
    JobBeads tracking = new TrackingBeads(beads, jobs);
    List<JobRunner> runners = List.of(new TrainingJobRunner(), new EvalJobRunner(workspace));
    // The worker runs in this process: the demo waits for every job anyway, as an agent would with job_wait.
    JobWorker worker = new JobWorker(workspace, runners, tracking, line -> {});
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "successor-demo-worker");
      thread.setDaemon(true);
      return thread;
    });
    try {
      JobQueue queue = new JobQueue(workspace, () -> executor.execute(worker::drain), tracking, runners);
      return loop(queue, started);
    } finally {
      executor.shutdownNow();
    }
  }

  private Result loop(JobQueue queue, long started) throws IOException, InterruptedException {
    Path inputs = workspace.root().resolve("demo");
    Path random = workspace.modelsDir().resolve(RANDOM_BASE);
    Path base = workspace.modelsDir().resolve(BASE);

    progress.stage("model");
    Path tokenizer = inputs.resolve("tokenizer").resolve(TokenizerFiles.TOKENIZER_JSON);
    unpack(TokenCounter.BUNDLED_RESOURCE, tokenizer);
    TokenizerFiles tokenizerFiles = TokenizerFiles.find(tokenizer);
    Qwen3Config config = new Qwen3Config(tokenizerFiles.vocabSize(), plan.hidden(), plan.intermediate(), plan.layers(),
        plan.heads(), plan.kvHeads(), plan.headDim(), 1e-6, 1_000_000.0, true, 40960, "float32",
        tokenizerFiles.addedTokenId("<|endoftext|>"), List.of(tokenizerFiles.addedTokenId("<|im_end|>")));
    RandomQwen3.write(random, config, plan.seed(), tokenizerFiles, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    progress.finished(String.format(Locale.ROOT, "a random Qwen3 of %,d parameters (hidden %d, %d layers) with the"
        + " bundled 8k-merge Qwen3 tokenizer: %s", Qwen3Layout.parameterCount(config), plan.hidden(), plan.layers(),
        random));

    progress.stage("warm-up");
    Path chat = inputs.resolve("warmup");
    int chats = unpackFolder(WARMUP, chat);
    TrainingConfig warmup = training(random, chat.resolve("general.jsonl"), plan.hidden(), plan.warmupSteps(),
        plan.warmupBatch(), plan.warmupLr(), List.of("embed_tokens", "lm_head"), "assistant");
    Job warmed = await(queue.submit("sft", Json.MAPPER.valueToTree(warmup), 0, null, workspace.runsDir()));
    LoraMerge.merge(random, Path.of(warmed.runDir()).resolve("adapter"), base, Dtype.F32, false,
        SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    progress.finished(String.format(Locale.ROOT, "a warm-up, standing in for pretraining: %d steps on %d general"
        + " conversations (chat, and calls to generic tools that are not B4mad's): every projection by a LoRA of full"
        + " rank, embed_tokens and lm_head in full (the norms keep their initial weights), merged into the base %s", plan.warmupSteps(), chats, base));

    progress.stage("import");
    Path traces = inputs.resolve("traces");
    for (String format : FORMATS) {
      unpackFolder(TRACES + "/" + format, traces.resolve(format));
    }
    ImportReport imported = new TraceImport(new TraceStore(workspace.store()))
        .run(traces, new TraceImport.Options(null, null, List.of(DATASET), null), ToolContext.detached("traces_import"));
    progress.finished(String.format(Locale.ROOT, "traces_import: %d conversations (%s), %d already there",
        imported.imported() + imported.duplicates(), imported.formats().entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")), imported.duplicates()));

    progress.stage("dataset");
    TraceFilter tagged = new TraceFilter(List.of(), null, null, null, null, null, null, DATASET, null, null, 0);
    BuildRequest request = new BuildRequest(DATASET, tagged, List.of(), List.of(), BuildRequest.DEFAULT_EVAL_FRACTION,
        "session", null, plan.seed(), true, BuildRequest.DEFAULT_NEAR_THRESHOLD, 2048, "exclude");
    BuildResult built;
    try (TokenCounter tokens = TokenCounter.bundled()) {
      built = new DatasetBuilder(workspace).build(request, tokens, ToolContext.detached("dataset_build"));
    }
    // The held-out split is the suite: each of its assistant turns is a case (DatasetCases).
    Path suite = Path.of(built.path());
    int cases = EvalSettings.load(suite).cases().size();
    int evaluated = plan.evalCases() == null ? cases : Math.min(plan.evalCases(), cases);
    progress.finished(String.format(Locale.ROOT, "dataset_build: %s, %d train and %d held-out conversations (split by"
        + " session); %d eval cases from the held-out ones' assistant turns, %d of them evaluated",
        built.ref(), built.counts().train(), built.counts().eval(), cases, evaluated));

    progress.stage("eval base");
    Job before = await(queue.submit(EvalJobRunner.KIND, evalSettings(base, null, suite), 0, null, workspace.evalsDir()));
    EvalRuns runs = new EvalRuns(queue.store());
    EvalReport beforeReport = runs.report(before.id());
    Adapters adapters = new Adapters(workspace, queue.store());
    Promoter promoter = new Promoter(queue.store(), new ProductionPointer(workspace.store()), beads);
    List<String> baseNote = List.of();
    if (new ProductionPointer(workspace.store()).current().isEmpty()) {
      // The base is what the tuned model has to beat: production, as model_promote would make it.
      promoter.promote(adapters.base(base.toString()), before.id(), null, PromotionGate.DEFAULT);
      baseNote = List.of("the base became production (the first promotion needs no gate)");
    }
    progress.finished(passed(beforeReport) + (baseNote.isEmpty() ? "" : "; " + baseNote.get(0)));

    progress.stage("SFT");
    TrainingConfig sft = training(base, suite, plan.rank(), plan.sftSteps(), plan.sftBatch(), plan.sftLr(),
        List.of(), "assistant");
    Job tuned = await(queue.submit("sft", Json.MAPPER.valueToTree(sft), 0, null, workspace.runsDir()));
    Path adapter = Path.of(tuned.runDir()).resolve("adapter");
    progress.finished(String.format(Locale.ROOT, "train_sft: LoRA rank %d, %d steps of %d conversations: %s",
        plan.rank(), plan.sftSteps(), plan.sftBatch(), adapter));

    progress.stage("eval tuned");
    Job after = await(queue.submit(EvalJobRunner.KIND, evalSettings(base, adapter, suite), 0, null,
        workspace.evalsDir()));
    EvalReport afterReport = runs.report(after.id());
    progress.finished(passed(afterReport));

    progress.stage("promote");
    EvalComparison.Result comparison = EvalComparison.compare(beforeReport.outcomes(), afterReport.outcomes());
    List<String> reasons = new ArrayList<>();
    boolean promoted;
    try {
      reasons.addAll(promoter.promote(adapters.adapter(tuned.id(), null), after.id(), before.id(), PromotionGate.DEFAULT)
          .reasons());
      promoted = true;
    } catch (Promoter.Refused e) {
      promoted = false;
      reasons.add(e.getMessage());
    }
    progress.finished((promoted ? "model_promote: the tuned model is production" : "model_promote: not promoted")
        + "; " + comparison.significance());

    long seconds = Math.round((System.nanoTime() - started) / 1e9);
    Summary summary = new Summary(rates(comparison, true), rates(comparison, false), promoted, seconds);
    return new Result(summary, comparison, reasons, workspace.root());
  }

  private TrainingConfig training(Path model, Path data, int rank, int steps, int batch, double lr,
      List<String> modulesToSave, String trainOn) {
    // One checkpoint, at the end; a metrics line every step, for the progress bar.
    return new TrainingConfig("sft", model.toString(), data.toString(), null, null, false, rank, null, null, null,
        false, modulesToSave, lr, null, steps, batch, 1, 1024, 0.05, null, null, "cosine", plan.seed(), steps, steps,
        1, 1, trainOn, false, null, null);
  }

  private ObjectNode evalSettings(Path model, Path adapter, Path suite) {
    EvalSettings settings = new EvalSettings(model.toString(), adapter == null ? null : adapter.toString(),
        List.of(suite.toString()), 0.0, 1.0, 0, plan.maxNewTokens(), plan.seed(), plan.evalCases());
    return Json.MAPPER.valueToTree(settings);
  }

  /** Waits for a job as {@code job_wait} does, telling progress its steps; returns it once it succeeded. */
  private Job await(Job queued) throws InterruptedException {
    JobStore jobs = new JobStore(workspace.store());
    while (true) {
      Job job = jobs.require(queued.id());
      JobStatus status = JobStatus.of(job, List.of());
      if (status.step() != null && status.totalSteps() != null) {
        progress.advance(status.step(), status.totalSteps());
      }
      if (job.state().ended()) {
        if (job.state() != JobState.SUCCEEDED) {
          throw new IllegalStateException(job.kind() + " job " + job.id() + " " + job.state().label() + ": "
              + job.error() + " (its log: " + Path.of(job.runDir()).resolve(JobWorker.LOG) + ")");
        }
        return job;
      }
      Thread.sleep(POLL_MS);
    }
  }

  private static String passed(EvalReport report) {
    return String.format(Locale.ROOT, "%d of %d held-out cases passed (%.3f)", report.overall().passed(),
        report.overall().cases(), report.overall().passRate());
  }

  /** Pass rates of the paired cases, overall first, then by category. */
  private static Map<String, Double> rates(EvalComparison.Result comparison, boolean before) {
    Map<String, Double> rates = new LinkedHashMap<>();
    rates.put("overall", before ? comparison.overall().baselineRate() : comparison.overall().candidateRate());
    for (EvalComparison.Delta category : comparison.categories()) {
      rates.put(category.category(), before ? category.baselineRate() : category.candidateRate());
    }
    return rates;
  }

  private static void unpack(String resource, Path target) throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      AtomicFiles.write(target, in.readAllBytes());
    }
  }

  /** Writes a bundled folder's JSON lines files into {@code target}; returns how many lines they hold. */
  private static int unpackFolder(String folder, Path target) {
    Map<String, byte[]> files = BundledFiles.read(Demo.class, folder, ".jsonl");
    if (files.isEmpty()) {
      throw new IllegalStateException("the demo's " + folder + " is missing from the jar");
    }
    int lines = 0;
    try {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        AtomicFiles.write(target.resolve(file.getKey()), file.getValue());
        lines += (int) new String(file.getValue(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo's inputs to " + target + ": " + e.getMessage(), e);
    }
    return lines;
  }
}
