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
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.models.Adapters;
import net.b4mad.successor.models.ProductionPointer;
import net.b4mad.successor.models.Promoter;
import net.b4mad.successor.traces.ImportReport;
import net.b4mad.successor.traces.TraceFilter;
import net.b4mad.successor.traces.TraceImport;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.node.ObjectNode;

/**
 * The self-tuning loop end to end on a tiny model, offline: the bundled base ({@link DemoBase}: a tiny Qwen3
 * pretrained from random weights on general chat and generic tool use, none of it B4mad's, as real bases arrive
 * pretrained and able to call the tools they are shown), the bundled B4mad traces imported, a dataset built with a
 * held-out split, the base evaluated on the held-out conversations, a LoRA SFT run, the tuned model evaluated on the
 * same cases, the two compared, and the tuned model promoted if it passes the gate against the base. Every step
 * goes through the services the MCP tools use: trace import, dataset build, training and eval jobs run by a job
 * worker (here in this process), and the promotion behind {@code model_promote} ({@link Promoter}); so the
 * workspace afterwards holds what an agent's loop leaves (traces, a dataset version, runs with their beads, evals,
 * the production history) and {@code successor serve --workspace} shows it.
 */
public final class Demo {

  /** Where the demo's inputs lie in the jar: the traces by format, and the base's warm-up conversations. */
  static final String TRACES = "demo/traces";
  static final List<String> FORMATS = List.of("openai", "anthropic", "claude-code", "sharegpt", "canonical");
  static final String WARMUP = "demo/warmup";

  /** The summary's rates besides the pass rates: right tool (or rightly no call), and valid JSON, of all cases. */
  public static final String RIGHT_TOOL = "right_tool";
  public static final String VALID_JSON = "valid_json";

  static final String DATASET = "demo";
  static final String BASE = "demo-base";

  /**
   * The training and eval budget.
   *
   * @param evalCases held-out cases evaluated, the first ones; null for all
   */
  public record Plan(int sftSteps, int sftBatch, double sftLr, int rank, Integer evalCases, int maxNewTokens,
      long seed) {

    /** The whole demo: under ten minutes on two CPU cores. */
    public static Plan full(long seed) {
      return new Plan(400, 8, 3e-3, 16, null, 96, seed);
    }

    /** A short run for tests of the loop itself: the same steps, too little training to lift the base. */
    public static Plan quick(long seed) {
      return new Plan(20, 8, 3e-3, 16, 20, 48, seed);
    }
  }

  /**
   * Trained in full beside the LoRA adapter: the tiny base learnt its words from the warm-up and gives those it
   * never saw (most of B4mad's: bead, dataset, upload) logits so low that a low-rank update cannot lift them in
   * the demo's steps, as a base meeting new tokens needs its embedding and head trained.
   */
  static final List<String> SFT_MODULES_TO_SAVE = List.of("embed_tokens", "lm_head");

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

    /** How many stages {@link #run} has: base, import, dataset, eval base, SFT, eval tuned, promote. */
    int STAGES = 7;

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
    Path base = workspace.modelsDir().resolve(BASE);

    progress.stage("base");
    long parameters = DemoBase.unpack(base);
    progress.finished(String.format(Locale.ROOT, "the bundled tiny Qwen3 (%,d parameters, hidden %d, %d layers, the"
        + " 8k-merge Qwen3 tokenizer), standing in for a pretrained base: made from random weights by `successor demo"
        + " --make-base`, full fine-tunes of %d steps on copying and %d on general chat and calls to generic tools,"
        + " none of them B4mad's: %s", parameters, DemoBase.Recipe.BUNDLED.hidden(), DemoBase.Recipe.BUNDLED.layers(),
        DemoBase.Recipe.BUNDLED.copySteps(), DemoBase.Recipe.BUNDLED.steps(), base));

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
    TrainingConfig sft = training(base, suite, plan.rank(), plan.sftSteps(), plan.sftBatch(), plan.sftLr(), 0,
        SFT_MODULES_TO_SAVE, "assistant", plan.seed());
    Job tuned = await(queue.submit("sft", Json.MAPPER.valueToTree(sft), 0, null, workspace.runsDir()));
    Path adapter = Path.of(tuned.runDir()).resolve("adapter");
    progress.finished(String.format(Locale.ROOT, "train_sft: LoRA rank %d with %s trained in full (B4mad's words"
        + " are new to the tiny base), %d steps of %d conversations: %s", plan.rank(), SFT_MODULES_TO_SAVE,
        plan.sftSteps(), plan.sftBatch(), adapter));

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
    Summary summary = new Summary(rates(comparison, beforeReport, true), rates(comparison, afterReport, false), promoted,
        seconds);
    return new Result(summary, comparison, reasons, workspace.root());
  }

  /** SFT with the loss on {@code trainOn}'s tokens; one checkpoint, at the end; a metrics line every step. */
  static TrainingConfig training(Path model, Path data, int rank, int steps, int batch, double lr,
      double weightDecay, List<String> modulesToSave, String trainOn, long seed) {
    return new TrainingConfig("sft", model.toString(), data.toString(), null, null, false, rank, null, null, null,
        false, modulesToSave, lr, null, steps, batch, 1, 1024, 0.05, weightDecay, null, "cosine", seed, steps, steps,
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

  /**
   * Pass rates of the paired cases, overall first; then the share of cases with the right tool (or rightly none)
   * and with valid JSON, the parts a pass needs besides exact arguments; then the pass rate by category.
   */
  private static Map<String, Double> rates(EvalComparison.Result comparison, EvalReport report, boolean before) {
    Map<String, Double> rates = new LinkedHashMap<>();
    rates.put("overall", before ? comparison.overall().baselineRate() : comparison.overall().candidateRate());
    rates.put(RIGHT_TOOL, report.overall().toolSelectionRate());
    rates.put(VALID_JSON, report.overall().jsonValidRate());
    for (EvalComparison.Delta category : comparison.categories()) {
      rates.put(category.category(), before ? category.baselineRate() : category.candidateRate());
    }
    return rates;
  }

  static void unpack(String resource, Path target) throws IOException {
    try (InputStream in = Demo.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      AtomicFiles.write(target, in.readAllBytes());
    }
  }

  /** Writes a bundled folder's JSON lines files into {@code target}; returns how many lines they hold. */
  static int unpackFolder(String folder, Path target) {
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
