package net.b4mad.successor.models;

import java.util.List;
import net.b4mad.successor.eval.EvalReport;
import net.b4mad.successor.eval.EvalRuns.EvalRun;

/**
 * One eval of a model, as lists show it: which suites, and once it has finished, the overall pass rate.
 *
 * @param limit the cap on cases per suite it ran with; null for whole suites
 */
public record EvalSummary(String evalId, String state, List<String> suites, Integer limit, Integer cases,
    Integer passed, Double passRate, boolean cancelled, String finishedAt) {

  public static EvalSummary of(EvalRun run) {
    List<String> suites = run.settings().suites();
    if (!run.hasReport()) {
      return new EvalSummary(run.job().id(), run.job().state().label(), suites, run.settings().limit(), null, null,
          null, false, run.job().finishedAt());
    }
    EvalReport report = EvalReport.read(run.reportFile());
    return new EvalSummary(run.job().id(), run.job().state().label(), suites, run.settings().limit(),
        report.overall().cases(), report.overall().passed(), report.overall().passRate(), report.cancelled(),
        run.job().finishedAt());
  }
}
