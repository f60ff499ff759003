package net.b4mad.successor.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Collection;

/**
 * The gradients autograd accumulated on trainable arrays. DJL hands out a new wrapper around a gradient each
 * time it is asked, in the parameter's (long-lived) manager; here each one goes to a short-lived manager.
 */
public final class Gradients {

  private Gradients() {}

  /** The gradient of {@code parameter}, attached to {@code scratch}; in-place changes reach the parameter's. */
  public static NDArray of(NDArray parameter, NDManager scratch) {
    NDArray gradient = parameter.getGradient();
    gradient.attach(scratch);
    return gradient;
  }

  /** {@code sqrt(sum of squares)} over all gradients, as {@code torch.nn.utils.clip_grad_norm_} measures it. */
  public static double globalNorm(Collection<NDArray> parameters, NDManager manager) {
    try (NDManager scratch = manager.newSubManager()) {
      // Summed on the device: reading each tensor's sum back would wait for the device once per tensor.
      NDArray sum = null;
      for (NDArray p : parameters) {
        NDArray squares = of(p, scratch).square().sum();
        sum = sum == null ? squares : sum.add(squares);
      }
      return sum == null ? 0 : Math.sqrt(sum.getFloat());
    }
  }

  /**
   * Clips by global norm as PyTorch does: when the norm exceeds {@code maxNorm}, every gradient is scaled by
   * {@code maxNorm / (norm + 1e-6)}. DJL's own {@code optClipGrad} clamps each element instead. Returns the norm
   * before clipping.
   */
  public static double clipByGlobalNorm(Collection<NDArray> parameters, double maxNorm, NDManager manager) {
    double norm = globalNorm(parameters, manager);
    double factor = maxNorm / (norm + 1e-6);
    if (maxNorm > 0 && factor < 1) {
      try (NDManager scratch = manager.newSubManager()) {
        for (NDArray p : parameters) {
          of(p, scratch).muli((float) factor);
        }
      }
    }
    return norm;
  }

  /** Sets every gradient to zero (also when it holds NaN, which a multiplication by zero would keep). */
  public static void zero(Collection<NDArray> parameters, NDManager manager) {
    try (NDManager scratch = manager.newSubManager()) {
      for (NDArray p : parameters) {
        of(p, scratch).set(new NDIndex("..."), 0f);
      }
    }
  }
}
