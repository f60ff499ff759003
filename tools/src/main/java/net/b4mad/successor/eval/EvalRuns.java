package net.b4mad.successor.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.jobs.Job;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.mcp.ToolException;

/** The eval jobs of a workspace: what each one evaluated and, once it has finished, its report. */
public final class EvalRuns {

  /** One eval job with its settings (the model, adapter and suites it ran). */
  public record EvalRun(Job job, EvalSettings settings) {

    public Path reportFile() {
      return Path.of(job.runDir()).resolve(EvalJobRunner.REPORT);
    }

    public boolean hasReport() {
      return Files.isRegularFile(reportFile());
    }
  }

  private final JobStore jobs;

  public EvalRuns(JobStore jobs) {
    this.jobs = jobs;
  }

  /** Every eval job, newest first; one whose folder is gone is left out. */
  public List<EvalRun> list() {
    List<EvalRun> runs = new ArrayList<>();
    for (Job job : jobs.list(null, EvalJobRunner.KIND, Integer.MAX_VALUE)) {
      Path runDir = Path.of(job.runDir());
      if (Files.isRegularFile(runDir.resolve(JobSpec.FILE))) {
        runs.add(new EvalRun(job, EvalSettings.fromJson(JobSpec.read(runDir).settings())));
      }
    }
    return runs;
  }

  public EvalRun require(String id) {
    Job job = jobs.get(id)
        .filter(found -> found.kind().equals(EvalJobRunner.KIND))
        .orElseThrow(() -> new ToolException("no eval '" + id + "'; job_list with kind eval shows them"));
    return new EvalRun(job, EvalSettings.fromJson(JobSpec.read(Path.of(job.runDir())).settings()));
  }

  /** The report of a finished eval, or a message that says what state it is in. */
  public EvalReport report(String id) {
    return report(require(id));
  }

  /** {@link #report(String)} for a run already looked up. */
  public EvalReport report(EvalRun run) {
    if (!run.hasReport()) {
      Job job = run.job();
      throw new ToolException("eval " + job.id() + " has no report yet: it is " + job.state().label()
          + (job.error() == null ? "" : " (" + job.error() + ")") + "; job_wait waits for it");
    }
    return EvalReport.read(run.reportFile());
  }
}
