package net.b4mad.successor.models;

import java.util.List;
import net.b4mad.successor.eval.PromotionGate;

/**
 * One entry of the production pointer's history: a promotion, or a rollback to an earlier production. The
 * newest entry is production now.
 *
 * @param action {@code promote} or {@code rollback}
 * @param candidateEval the eval of this model the decision rested on
 * @param productionEval the eval of the production it replaced, on the same cases; null for the first promotion
 *     and for rollbacks
 * @param gate the gate's settings; null where no gate was applied (the first promotion, a rollback)
 * @param reasons why: the gate's reasons, or what the first promotion or the rollback rested on
 * @param replaces the entry that was production before this one; a rollback goes back to it
 */
public record Promotion(
    long id,
    String at,
    String action,
    String name,
    String model,
    String adapter,
    String runId,
    String candidateEval,
    String productionEval,
    PromotionGate gate,
    List<String> reasons,
    Long replaces) {

  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";

  public ModelRef ref() {
    return new ModelRef(name, model, adapter, runId, null);
  }
}
