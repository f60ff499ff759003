package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Causal attention over a padded batch. {@code padding[b][s]} is 1 for a real token and 0 for padding, over
 * the cached positions and the new ones. Positions count only real tokens, as transformers' generate does, so
 * a left-padded row sees the same positions as the unpadded sequence.
 */
final class AttentionMask {

  /** Masked scores get this rather than -infinity: a row with nothing to attend to stays finite (no NaN). */
  private static final float MASKED = -Float.MAX_VALUE;

  private AttentionMask() {}

  static int[][] allReal(int batch, int length) {
    int[][] padding = new int[batch][length];
    for (int[] row : padding) {
      java.util.Arrays.fill(row, 1);
    }
    return padding;
  }

  /** Position ids {@code [B][T]} of the T new tokens after {@code past} cached ones. */
  static int[][] positions(int[][] padding, int past, int length) {
    int[][] positions = new int[padding.length][length];
    for (int b = 0; b < padding.length; b++) {
      int seen = 0;
      for (int s = 0; s < past + length; s++) {
        if (s >= past) {
          positions[b][s - past] = Math.max(seen - (padding[b][s] == 1 ? 0 : 1), 0);
        }
        seen += padding[b][s];
      }
    }
    return positions;
  }

  /** Additive mask {@code [B, 1, T, past + T]}: 0 where attention is allowed. */
  static NDArray additive(NDManager manager, int[][] padding, int past, int length) {
    int batch = padding.length;
    int keys = past + length;
    float[] mask = new float[batch * length * keys];
    for (int b = 0; b < batch; b++) {
      if (padding[b].length != keys) {
        throw new IllegalArgumentException(
            "padding mask row " + b + " has " + padding[b].length + " entries, expected " + keys
                + " (cached + new tokens)");
      }
      for (int t = 0; t < length; t++) {
        for (int s = 0; s < keys; s++) {
          boolean allowed = s <= past + t && padding[b][s] == 1;
          mask[(b * length + t) * keys + s] = allowed ? 0f : MASKED;
        }
      }
    }
    return manager.create(mask, new Shape(batch, 1, length, keys));
  }
}
