package net.b4mad.successor.lora;

import ai.djl.ndarray.NDArray;
import net.b4mad.successor.qwen3.Projection;

/**
 * A projection with a low-rank update: {@code y = base(x) + scale * (x A^T) B^T}, with A {@code [r, in]} and
 * B {@code [out, r]} as PEFT stores them. The base weight is never changed.
 */
public final class LoraProjection implements Projection {

  private final Projection base;
  private final NDArray a;
  private final NDArray b;
  // Transposed views made once, so no per-call array lands in the weights' manager.
  private final NDArray aT;
  private final NDArray bT;
  private final float scale;

  public LoraProjection(Projection base, NDArray a, NDArray b, double scale) {
    long rank = a.getShape().get(0);
    if (a.getShape().get(1) != base.inFeatures() || b.getShape().get(0) != base.outFeatures() || b.getShape().get(1) != rank) {
      throw new IllegalArgumentException(
          "LoRA shapes A " + a.getShape() + ", B " + b.getShape() + " do not fit a projection of "
              + base.inFeatures() + " -> " + base.outFeatures());
    }
    this.base = base;
    this.a = a;
    this.b = b;
    this.aT = a.transpose();
    this.bT = b.transpose();
    this.scale = (float) scale;
  }

  public NDArray a() {
    return a;
  }

  public NDArray b() {
    return b;
  }

  @Override
  public NDArray apply(NDArray x) {
    return base.apply(x).add(x.matMul(aT).matMul(bT).mul(scale));
  }

  @Override
  public long inFeatures() {
    return base.inFeatures();
  }

  @Override
  public long outFeatures() {
    return base.outFeatures();
  }
}
