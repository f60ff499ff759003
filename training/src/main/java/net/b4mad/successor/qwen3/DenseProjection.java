package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;

/** A plain float32 weight {@code [out, in]} as stored in the checkpoint. */
public final class DenseProjection implements Projection {

  private final NDArray weight;

  public DenseProjection(NDArray weight) {
    if (weight.getShape().dimension() != 2) {
      throw new IllegalArgumentException("a projection weight must be 2-D, got " + weight.getShape());
    }
    this.weight = weight;
  }

  public NDArray weight() {
    return weight;
  }

  /** Frees the weight, e.g. once a quantised copy has replaced this projection. */
  public void close() {
    weight.close();
  }

  @Override
  public NDArray apply(NDArray x) {
    // torch's linear (x W^T) leaves the result in x's manager and lets autograd reach W when it is trained.
    return x.getNDArrayInternal().linear(x, weight, null).singletonOrThrow();
  }

  @Override
  public long inFeatures() {
    return weight.getShape().get(1);
  }

  @Override
  public long outFeatures() {
    return weight.getShape().get(0);
  }
}
