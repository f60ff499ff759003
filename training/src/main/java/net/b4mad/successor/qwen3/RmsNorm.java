package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;

/** {@code w * x / sqrt(mean(x^2) + eps)} over the last axis, in float32 as transformers computes it. */
public final class RmsNorm {

  private final NDArray weight;
  private final float eps;

  public RmsNorm(NDArray weight, double eps) {
    this.weight = weight;
    this.eps = (float) eps;
  }

  public NDArray apply(NDArray x) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
    return x.div(rms).mul(weight);
  }
}
