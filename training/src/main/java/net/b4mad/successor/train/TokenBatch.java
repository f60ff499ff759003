package net.b4mad.successor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import net.b4mad.successor.qwen3.Qwen3Model;

/**
 * Sequences right-padded to one length for a forward pass, and where their targets are: for each trained
 * token, the row of the flattened hidden states {@code [B * T, hidden]} that predicts it (the position before
 * it), the token itself, and which sequence it belongs to. Only those rows reach the LM head, so the logits of
 * prompt tokens, often most of a tool-calling conversation, are never computed.
 */
public record TokenBatch(int[][] tokens, int[][] padding, long[] rows, long[] targets, int[] owners) {

  private static final int PAD = 0;

  public static TokenBatch of(List<TrainingSequence> sequences) {
    int batch = sequences.size();
    int length = sequences.stream().mapToInt(TrainingSequence::length).max().orElseThrow();
    int[][] tokens = new int[batch][length];
    int[][] padding = new int[batch][length];
    int targets = sequences.stream().mapToInt(TrainingSequence::trainedCount).sum();
    long[] rows = new long[targets];
    long[] ids = new long[targets];
    int[] owners = new int[targets];
    int n = 0;
    for (int b = 0; b < batch; b++) {
      TrainingSequence sequence = sequences.get(b);
      for (int t = 0; t < length; t++) {
        boolean real = t < sequence.length();
        tokens[b][t] = real ? sequence.tokens()[t] : PAD;
        padding[b][t] = real ? 1 : 0;
        if (real && sequence.trained()[t]) {
          rows[n] = (long) b * length + t - 1;
          ids[n] = sequence.tokens()[t];
          owners[n] = b;
          n++;
        }
      }
    }
    return new TokenBatch(tokens, padding, rows, ids, owners);
  }

  public int size() {
    return tokens.length;
  }

  /** Tokens in the batch, padding excluded. */
  public long realTokens() {
    long count = 0;
    for (int[] row : padding) {
      for (int p : row) {
        count += p;
      }
    }
    return count;
  }

  public int targetCount() {
    return targets.length;
  }

  /** log p(target) for every target, {@code [targets]}, in the hidden states' manager. */
  public NDArray targetLogProbs(Qwen3Model model, NDArray hidden) {
    NDManager manager = hidden.getManager();
    long width = hidden.getShape().get(2);
    NDArray selected = hidden.reshape(-1, width).get(new NDIndex("{}", manager.create(rows)));
    NDArray logProbs = model.logits(selected).logSoftmax(-1);
    return logProbs.gather(manager.create(targets, new Shape(targets.length, 1)), 1).reshape(-1);
  }

  /** The sum of target log-probabilities per sequence, {@code [B]}. */
  public NDArray sequenceLogProbs(Qwen3Model model, NDArray hidden) {
    NDArray perTarget = targetLogProbs(model, hidden);
    float[] membership = new float[size() * targets.length];
    for (int n = 0; n < targets.length; n++) {
      membership[owners[n] * targets.length + n] = 1f;
    }
    NDArray owner = hidden.getManager().create(membership, new Shape(size(), targets.length));
    return owner.matMul(perTarget.reshape(-1, 1)).reshape(-1);
  }

  /** Targets per sequence. */
  public int[] targetCounts() {
    int[] counts = new int[size()];
    for (int owner : owners) {
      counts[owner]++;
    }
    return counts;
  }
}
