package net.b4mad.successor.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.b4mad.successor.beads.BeadUpdate;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.eval.EvalComparison;
import net.b4mad.successor.eval.EvalReport;
import net.b4mad.successor.eval.EvalRuns;
import net.b4mad.successor.eval.EvalRuns.EvalRun;
import net.b4mad.successor.eval.EvalSettings;
import net.b4mad.successor.eval.PromotionGate;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a model production: the first one on its eval alone, every later one only when it passes the promotion
 * gate against production's eval on the same cases. What model_promote and a pipeline's last step both run.
 */
public final class Promoter {

  private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);

  /** The new production, the one it replaced (null for the first), the gate's reasons and comparison. */
  public record Outcome(Promotion production, Promotion previous, List<String> reasons,
      EvalComparison.Result comparison) {}

  private final JobStore jobs;
  private final ProductionPointer pointer;
  private final Beads beads;

  public Promoter(JobStore jobs, ProductionPointer pointer, Beads beads) {
    this.jobs = jobs;
    this.pointer = pointer;
    this.beads = beads;
  }

  /** A refusal by the gate, with the comparison it judged. */
  public static final class Refused extends ToolException {

    private final transient EvalComparison.Result comparison;

    Refused(String message, EvalComparison.Result comparison) {
      super(message);
      this.comparison = comparison;
    }

    public EvalComparison.Result comparison() {
      return comparison;
    }
  }

  /**
   * @param candidateEval the candidate's eval, or null for its newest finished one
   * @param referenceEval production's eval on the same cases, or null for its newest finished one; while there is
   *     no production, an eval of the candidate's base model to gate the first promotion against (null: the first
   *     production needs no gate)
   * @throws Refused starting "not promoted: " with every reason when the gate refuses
   */
  public Outcome promote(ModelRef candidate, String candidateEval, String referenceEval, PromotionGate gate) {
    Promotion production = pointer.current().orElse(null);
    if (candidate.sameAs(production)) {
      throw new ToolException(candidate.name() + " is production already (since " + production.at() + ")");
    }
    EvalRuns runs = new EvalRuns(jobs);
    EvalRun candidateRun = evalOf(runs, candidate, candidateEval, "candidate_eval", null);
    EvalReport candidateReport = runs.report(candidateRun.job().id());
    if (production == null && referenceEval == null) {
      List<String> reasons = List.of(String.format(Locale.ROOT,
          "the first production: there is nothing to compare against, so no gate; eval %s passed %d of %d cases (%.3f)",
          candidateRun.job().id(), candidateReport.overall().passed(), candidateReport.overall().cases(),
          rate(candidateReport.overall().passRate())));
      Promotion promoted = pointer.promote(null, candidate, candidateRun.job().id(), null, null, reasons);
      note(candidate.beadId(), "Promoted to production (entry " + promoted.id() + "): " + reasons.get(0));
      return new Outcome(promoted, null, reasons, null);
    }
    ModelRef reference = production != null ? production.ref()
        : new ModelRef(candidate.model(), candidate.model(), null, null, null);
    String against = (production != null ? "production " : "the base model ") + reference.name();
    EvalRun referenceRun = evalOf(runs, reference, referenceEval, "production_eval", candidateRun.settings());
    PromotionGate.Decision decision =
        gate.judge(runs.report(referenceRun.job().id()).outcomes(), candidateReport.outcomes());
    String evals = "eval " + candidateRun.job().id() + " vs " + referenceRun.job().id();
    if (!decision.pass()) {
      throw new Refused("not promoted: " + candidate.name() + " does not pass the gate against " + against + " ("
          + evals + "): " + String.join("; ", decision.reasons()) + ". Production stays "
          + (production != null ? reference.name() : "unset") + ".", decision.comparison());
    }
    Promotion promoted = pointer.promote(production, candidate, candidateRun.job().id(),
        referenceRun.job().id(), gate, decision.reasons());
    note(candidate.beadId(), "Promoted to production (entry " + promoted.id() + "), "
        + (production != null ? "replacing " : "gated against ") + against.replaceFirst("^production ", "") + " ("
        + evals + "): " + decision.reasons().get(0));
    return new Outcome(promoted, production, decision.reasons(), decision.comparison());
  }

  /**
   * The eval of {@code model} that the promotion rests on: the one given (checked to be of that model and
   * finished), else the newest finished one (on the same suites and limit as {@code sameCasesAs}, when given).
   */
  private static EvalRun evalOf(EvalRuns runs, ModelRef model, String given, String argument,
      EvalSettings sameCasesAs) {
    if (given != null) {
      EvalRun run = runs.require(given);
      if (!model.evaluatedBy(run)) {
        throw new ToolException(argument + ": eval " + given + " evaluated " + run.settings().model()
            + (run.settings().adapter() == null ? "" : " + " + run.settings().adapter()) + ", not " + model.name()
            + " (" + describe(model) + ")");
      }
      if (runs.report(given).cancelled()) {
        throw new ToolException(argument + ": eval " + given + " was cancelled before all its cases ran; a promotion"
            + " rests on a complete eval: run " + evalRun(model, run.settings()));
      }
      return run;
    }
    List<EvalRun> ofModel = runs.list().stream().filter(model::evaluatedBy)
        .filter(run -> sameCasesAs == null || (run.settings().suites().equals(sameCasesAs.suites())
            && Objects.equals(run.settings().limit(), sameCasesAs.limit())))
        .toList();
    Optional<EvalRun> finished = ofModel.stream()
        .filter(run -> run.job().state() == JobState.SUCCEEDED && run.hasReport()).findFirst();
    if (finished.isPresent()) {
      return finished.get();
    }
    Optional<EvalRun> pending = ofModel.stream().filter(run -> !run.job().state().ended()).findFirst();
    String what = (sameCasesAs == null ? "no finished eval of " : "no finished eval of production ") + model.name()
        + (sameCasesAs == null ? "" : " on the candidate eval's suites" + (sameCasesAs.limit() == null ? ""
            : " (limit " + sameCasesAs.limit() + ")")) + ", which the promotion needs";
    if (pending.isPresent()) {
      throw new ToolException(what + ": eval " + pending.get().job().id() + " is " + pending.get().job().state().label()
          + "; job_wait {\"job_id\": \"" + pending.get().job().id() + "\"} waits for it, then call model_promote again");
    }
    throw new ToolException(what + ": run eval_run " + evalRun(model, sameCasesAs) + ", wait for it with job_wait,"
        + " then call model_promote again (or pass its id as " + argument + ")");
  }

  /** The eval_run arguments that evaluate {@code model} on the same cases as {@code like} (any cases when null). */
  private static String evalRun(ModelRef model, EvalSettings like) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("model", model.model());
    if (model.adapter() != null) {
      arguments.put("adapter", model.adapter());
    }
    if (like != null) {
      arguments.put("suites", like.suites());
      if (like.limit() != null) {
        arguments.put("limit", like.limit());
      }
    }
    return Json.write(arguments);
  }

  private static String describe(ModelRef model) {
    return model.model() + (model.adapter() == null ? "" : " + " + model.adapter());
  }

  /** A note on a training run's bead; a tracker that fails is logged, never allowed to undo the change made. */
  void note(String beadId, String text) {
    if (beadId == null) {
      return;
    }
    try {
      beads.update(beadId, BeadUpdate.notes(text));
    } catch (RuntimeException e) {
      LOG.warn("could not note on bead {}: {}", beadId, e.getMessage());
    }
  }

  private static double rate(Double value) {
    return value == null ? 0 : value;
  }
}
