package net.b4mad.successor.models;

import java.util.Objects;
import net.b4mad.successor.eval.EvalRuns.EvalRun;

/**
 * A model that can be evaluated, promoted and served: a base model directory, plus the PEFT adapter applied to it
 * (null for the base alone).
 *
 * @param name how lists and history show it: the training job's id for an adapter trained here, else the folder
 * @param runId the training job that made the adapter; null for a base model or an adapter brought in
 * @param beadId that job's bead
 */
public record ModelRef(String name, String model, String adapter, String runId, String beadId) {

  /** Whether the eval ran this model: the same base and the same adapter (or none). */
  public boolean evaluatedBy(EvalRun run) {
    return run.settings().model().equals(model) && Objects.equals(run.settings().adapter(), adapter);
  }

  /** Whether the history entry points at this model. */
  public boolean sameAs(Promotion promotion) {
    return promotion != null && promotion.model().equals(model) && Objects.equals(promotion.adapter(), adapter);
  }
}
