package net.b4mad.successor.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import net.b4mad.successor.qwen3.Projection;

/**
 * A projection with a low-rank update: {@code y = base(x) + scale * (dropout(x) A^T) B^T}, with A {@code [r, in]}
 * and B {@code [out, r]} as PEFT stores them. The base weight is never changed. Dropout applies only while
 * {@link LoraDropout#active()}, i.e. during training steps.
 */
public final class LoraProjection implements Projection {

  private final Projection base;
  private final NDArray a;
  private final NDArray b;
  private final float scale;
  private final LoraDropout dropout;

  public LoraProjection(Projection base, NDArray a, NDArray b, double scale, LoraDropout dropout) {
    long rank = a.getShape().get(0);
    if (a.getShape().get(1) != base.inFeatures() || b.getShape().get(0) != base.outFeatures() || b.getShape().get(1) != rank) {
      throw new IllegalArgumentException(
          "LoRA shapes A " + a.getShape() + ", B " + b.getShape() + " do not fit a projection of "
              + base.inFeatures() + " -> " + base.outFeatures());
    }
    this.base = base;
    this.a = a;
    this.b = b;
    this.scale = (float) scale;
    this.dropout = dropout;
  }

  public NDArray a() {
    return a;
  }

  public NDArray b() {
    return b;
  }

  @Override
  public NDArray apply(NDArray x) {
    NDArray input = dropout.active() ? Dropout.dropout(x, dropout.rate(), true).singletonOrThrow() : x;
    // torch's linear (x W^T) leaves its result in the input's manager and lets autograd see A and B themselves;
    // a transposed view made once would be built outside grad mode and carry no gradient back to them.
    NDArray low = input.getNDArrayInternal().linear(input, a, null).singletonOrThrow();
    NDArray update = low.getNDArrayInternal().linear(low, b, null).singletonOrThrow();
    // The scale as an array of the step: autograd keeps it for the backward pass, and DJL frees the Java buffer of
    // a mul(Number) operand at once.
    return base.apply(x).add(update.mul(update.getManager().create(scale)));
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
