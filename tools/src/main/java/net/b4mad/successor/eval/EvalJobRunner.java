package net.b4mad.successor.eval;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.generation.ChatGeneration;
import net.b4mad.successor.jobs.JobRunner;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraAdapter;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.workspace.Workspace;

/**
 * {@code eval} jobs: the model (with its adapter) answers every case of the suites, turn by turn, and the checker
 * scores it. The report goes to {@code evals/<id>/report.json}; progress goes to {@code metrics.jsonl} as
 * step (cases done) of total, so job_status and job_wait show it as they show training.
 */
public final class EvalJobRunner implements JobRunner {

  public static final String KIND = "eval";
  public static final String REPORT = "report.json";

  private final Workspace workspace;

  public EvalJobRunner(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  @Override
  public void check(JobSpec spec) {
    EvalSettings.fromJson(spec.settings()).readSuites();
  }

  @Override
  public Outcome run(JobSpec spec, Path runDir, boolean resume, Control control) {
    EvalSettings settings = EvalSettings.fromJson(spec.settings());
    List<EvalSuite> suites = settings.readSuites();
    Path modelDir = Path.of(settings.model());
    long started = System.nanoTime();
    EvalReport report;
    try (Qwen3Tokenizer tokenizer = Qwen3Tokenizer.load(modelDir);
        Qwen3Model model = LoraAdapter.loadModel(modelDir, settings.adapter() == null ? null : Path.of(settings.adapter()))) {
      ChatGeneration generation = new ChatGeneration(model, tokenizer, modelDir);
      Responder responder = conversation ->
          generation.complete(conversation, settings.sampling(), true, control::stopRequested).text();
      EvalRunner runner = new EvalRunner(control::stopRequested, (done, total) -> {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", done);
        line.put("total_steps", total);
        line.put("cases_per_min", done / ((System.nanoTime() - started) / 6e10));
        RunDirectory.appendMetrics(runDir, line);
      });
      control.log("evaluating " + settings.model() + (settings.adapter() == null ? "" : " + " + settings.adapter())
          + " on " + suites.stream().map(EvalSuite::name).toList());
      report = runner.run(suites, responder);
    }
    AtomicFiles.writeStringUnchecked(runDir.resolve(REPORT), Json.writePretty(report) + "\n");
    record(runDir);
    double minutes = (System.nanoTime() - started) / 6e10;
    String summary = summary(report) + String.format(Locale.ROOT, "; %.1f cases/min", report.cases().size() / minutes);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("report", runDir.resolve(REPORT).toString());
    result.put("overall", report.overall());
    return new Outcome(report.cancelled() ? JobState.CANCELLED : JobState.SUCCEEDED, summary, result);
  }

  /** One line: overall pass rate and each category's. */
  static String summary(EvalReport report) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d of %d cases passed (%.3f)",
        report.overall().passed(), report.overall().cases(), rate(report.overall().passRate())));
    report.categories().forEach((category, metrics) ->
        line.append(String.format(Locale.ROOT, "; %s %.3f", category, rate(metrics.passRate()))));
    return line.toString();
  }

  private static double rate(Double value) {
    return value == null ? 0 : value;
  }

  /** Counts the eval in the workspace's records (workspace_info). */
  private void record(Path runDir) {
    workspace.store().write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT OR REPLACE INTO evals (id, run_id, report_path, created_at) VALUES (?, NULL, ?, ?)")) {
        insert.setString(1, runDir.getFileName().toString());
        insert.setString(2, runDir.resolve(REPORT).toString());
        insert.setString(3, Instant.now().toString());
        insert.executeUpdate();
      }
      return null;
    });
  }
}
