package net.b4mad.successor.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.BiFunction;
import net.b4mad.successor.qwen3.DenseProjection;
import net.b4mad.successor.qwen3.Projection;

/**
 * The projection hook of {@code Qwen3Model.load(dir, manager, hook)} that gives a model NF4 base weights: each
 * dense projection is quantised, its float32 weight freed, and the {@link Nf4Projection} put in its place. The
 * LM head is not offered to the hook and stays float32, as bitsandbytes leaves it by default.
 *
 * <p>For QLoRA, quantise first and wrap second, so the adapter sits on top of the NF4 base:
 * {@code (module, base) -> adapter.wrap(module, quantiser.apply(module, base), manager)}.
 *
 * <p>It counts what it stored, for the bits per base weight actually spent.
 */
public final class Nf4Quantiser implements BiFunction<String, Projection, Projection> {

  private final NDManager manager;
  private long weights;
  private long storedBits;

  /** @param manager where the quantised arrays go: the model's manager */
  public Nf4Quantiser(NDManager manager) {
    this.manager = manager;
  }

  @Override
  public Projection apply(String module, Projection projection) {
    if (!(projection instanceof DenseProjection dense)) {
      return projection;
    }
    NDArray weight = dense.weight();
    Nf4Tensor quantised = Nf4Tensor.quantise(weight.toFloatArray(), weight.getShape().getShape());
    dense.close();
    weights += quantised.size();
    storedBits += quantised.storedBits();
    return new Nf4Projection(quantised, manager);
  }

  /** Base weights quantised so far. */
  public long weights() {
    return weights;
  }

  public long storedBits() {
    return storedBits;
  }

  public double bitsPerWeight() {
    return weights == 0 ? 0 : (double) storedBits / weights;
  }
}
