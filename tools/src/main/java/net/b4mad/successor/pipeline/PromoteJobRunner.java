package net.b4mad.successor.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.eval.EvalComparison;
import net.b4mad.successor.eval.PromotionGate;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.jobs.JobRunner;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.models.Adapters;
import net.b4mad.successor.models.ModelRef;
import net.b4mad.successor.models.ProductionPointer;
import net.b4mad.successor.models.Promoter;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * {@code promote} jobs, a pipeline's last step: compare the candidate's eval with the reference's (production's,
 * or the base model's while there is no production) on the same cases, and make the candidate production only
 * when the promotion gate passes. Refused promotions succeed as jobs: the step ran, its answer is no. The outcome,
 * with the deltas per category, goes to {@code outcome.json}.
 */
public final class PromoteJobRunner implements JobRunner {

  public static final String KIND = "promote";
  public static final String OUTCOME = "outcome.json";

  private final Workspace workspace;
  private final Beads beads;

  public PromoteJobRunner(Workspace workspace, Beads beads) {
    this.workspace = workspace;
    this.beads = beads;
  }

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  @Override
  public void check(JobSpec spec) {
    gate(spec.settings());
    for (String field : List.of("candidate_eval", "reference_eval", "run_id")) {
      if (spec.settings().path(field).asString(null) == null) {
        throw new IllegalArgumentException("a promote step needs '" + field + "'");
      }
    }
  }

  /** The gate as pipeline_retrain's {@code gate} argument asks for it, read as eval_gate reads its arguments. */
  static PromotionGate gate(JsonNode settings) {
    JsonNode gate = settings.path("gate");
    return PromotionGate.fromArguments(new ToolCall(gate.isObject() ? Json.toMap(gate) : Map.of(),
        ToolContext.detached(KIND)));
  }

  @Override
  public Outcome run(JobSpec spec, Path runDir, boolean resume, Control control) {
    JsonNode settings = spec.settings();
    JobStore jobs = new JobStore(workspace.store());
    String candidateEval = settings.path("candidate_eval").asString();
    String referenceEval = settings.path("reference_eval").asString();
    ModelRef model = new Adapters(workspace, jobs).adapter(settings.path("run_id").asString(), null);
    boolean hasProduction = new ProductionPointer(workspace.store()).current().isPresent();
    // Production's eval, or while there is none the base model's: either way the first promotion is gated too.
    boolean promoted;
    List<String> reasons;
    EvalComparison.Result comparison;
    try {
      Promoter.Outcome outcome = new Promoter(jobs, new ProductionPointer(workspace.store()), beads)
          .promote(model, candidateEval, referenceEval, gate(settings));
      promoted = true;
      reasons = outcome.reasons();
      comparison = outcome.comparison();
    } catch (Promoter.Refused refused) {
      promoted = false;
      reasons = List.of(refused.getMessage());
      comparison = refused.comparison();
    }
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("promoted", promoted);
    outcome.put("candidate", model.adapter());
    outcome.put("compared_with", hasProduction ? "production" : "the base model (there is no production yet)");
    outcome.put("candidate_eval", candidateEval);
    outcome.put("reference_eval", referenceEval);
    outcome.put("reasons", reasons);
    outcome.put("deltas", deltas(comparison));
    AtomicFiles.writeStringUnchecked(runDir.resolve(OUTCOME), Json.writePretty(outcome) + "\n");
    String summary = (promoted ? "promoted " : "not promoted ") + model.name() + ": " + deltaLine(comparison);
    control.log(summary);
    return new Outcome(JobState.SUCCEEDED, summary, outcome);
  }

  private static Map<String, Double> deltas(EvalComparison.Result comparison) {
    Map<String, Double> deltas = new LinkedHashMap<>();
    deltas.put("overall", comparison.overall().delta());
    comparison.categories().forEach(category -> deltas.put(category.category(), category.delta()));
    return deltas;
  }

  /** {@code overall +0.120 (bead_operations +0.2, delegation -0.05)}. */
  static String deltaLine(EvalComparison.Result comparison) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "overall %+.3f (", comparison.overall().delta()));
    for (int i = 0; i < comparison.categories().size(); i++) {
      EvalComparison.Delta category = comparison.categories().get(i);
      line.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %+.3f", category.category(), category.delta()));
    }
    return line.append(")").toString();
  }
}
