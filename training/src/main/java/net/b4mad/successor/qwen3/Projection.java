package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;

/**
 * One linear layer without bias, {@code y = x W^T}, named after its checkpoint key. An interface because LoRA
 * and 4-bit NF4 base weights replace the plain dense weight without the model noticing.
 */
public interface Projection {

  /** @param x activations {@code [..., in]}; the result lands in x's manager */
  NDArray apply(NDArray x);

  long inFeatures();

  long outFeatures();
}
