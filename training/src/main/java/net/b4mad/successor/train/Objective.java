package net.b4mad.successor.train;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * What a recipe trains for (next-token prediction, preferences), seen by the {@link Trainer}: items of known
 * length to batch, and a loss over a micro-batch of them.
 */
public interface Objective {

  /** Each training item's length in tokens, for length-grouped batches. */
  int[] trainLengths();

  /**
   * What the step's loss is a mean over, counted in the step's micro-batches: trained tokens for SFT, pairs for
   * DPO. Each micro-batch's loss is divided by it, so accumulation gives the mean over the whole step.
   */
  double units(List<int[]> microBatches);

  /**
   * Forward and backward over one micro-batch, adding to the trainable arrays' gradients.
   *
   * @return contributions to the step's metrics, each summed over the step's micro-batches: {@code loss} (this
   *     batch's share of the step's loss), {@code tokens} (real tokens processed) and any of the objective's own
   */
  Map<String, Double> train(NDManager step, TrainingPass pass, int[] items, double units, IntConsumer beforeLayer);

  /** Metrics on the evaluation items without gradients ({@code loss} and the objective's own); empty if none. */
  Map<String, Double> evaluate(NDManager manager, TrainingPass pass);

  /** What was read and what was left out, for the run's result. */
  Map<String, Object> dataReport();
}
