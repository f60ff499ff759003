package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotate-half RoPE as in transformers' Qwen3: frequencies {@code theta^(-2i/d)}, {@code cos} and {@code sin}
 * of {@code position * frequency} repeated for both halves, {@code x*cos + cat(-x2, x1)*sin}. The angles are
 * computed in double precision, which keeps long positions accurate.
 */
public final class RotaryEmbedding {

  private final int headDim;
  private final double[] inverseFrequencies;

  public RotaryEmbedding(int headDim, double theta) {
    this.headDim = headDim;
    this.inverseFrequencies = new double[headDim / 2];
    for (int i = 0; i < headDim / 2; i++) {
      inverseFrequencies[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
    }
  }

  /** Cos and sin tables {@code [B, 1, T, headDim]} for the given positions {@code [B][T]}. */
  public NDArray[] tables(NDManager manager, int[][] positions) {
    int batch = positions.length;
    int length = positions[0].length;
    float[] cos = new float[batch * length * headDim];
    float[] sin = new float[cos.length];
    int half = headDim / 2;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        int base = (b * length + t) * headDim;
        for (int i = 0; i < half; i++) {
          double angle = positions[b][t] * inverseFrequencies[i];
          float c = (float) Math.cos(angle);
          float s = (float) Math.sin(angle);
          cos[base + i] = c;
          cos[base + half + i] = c;
          sin[base + i] = s;
          sin[base + half + i] = s;
        }
      }
    }
    Shape shape = new Shape(batch, 1, length, headDim);
    return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
  }

  /** @param x {@code [B, heads, T, headDim]} */
  public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    int half = headDim / 2;
    NDArray x1 = x.get("..., :" + half);
    NDArray x2 = x.get("..., " + half + ":");
    NDArray rotated = x2.neg().concat(x1, -1);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
