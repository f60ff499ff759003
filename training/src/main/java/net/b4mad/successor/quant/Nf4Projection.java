package net.b4mad.successor.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.b4mad.successor.qwen3.Projection;

/**
 * A linear layer whose weight is held as NF4 ({@link Nf4Tensor}) and dequantised on every call, as QLoRA's
 * frozen base layers are. The stored arrays are the quantised ones (4.13 bits per weight); the float32 weight
 * exists only during {@link #apply}.
 */
public final class Nf4Projection implements Projection {

  private final long out;
  private final long in;
  private final int size;
  private final int blocks;
  private final float absmaxOffset;
  // The packed codes, padded to whole blocks with the code of 0.0, so they reshape to [blocks, 64].
  private final NDArray codes;
  // The 8-bit absmax codes, padded to whole 256-blocks so they reshape to [scale blocks, 256].
  private final NDArray absmaxCodes;
  private final NDArray absmaxScales;
  // For each byte value, the NF4 values of its high and low nibble: one gather unpacks and decodes both.
  private final NDArray nibblePairs;
  private final NDArray dynamicMap;

  /** Creates the quantised arrays in {@code manager}, which owns them. */
  public Nf4Projection(Nf4Tensor weight, NDManager manager) {
    long[] shape = weight.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("a projection weight must be 2-D, got " + Arrays.toString(shape));
    }
    this.out = shape[0];
    this.in = shape[1];
    this.size = weight.size();
    this.blocks = weight.blocks();
    this.absmaxOffset = weight.absmaxOffset();

    byte[] paddedCodes = Arrays.copyOf(weight.codes, blocks * Nf4Tensor.BLOCK_SIZE / 2);
    Arrays.fill(paddedCodes, weight.codes.length, paddedCodes.length, (byte) (Nf4Codebook.ZERO_CODE * 0x11));
    this.codes = bytes(manager, paddedCodes);
    int scaleBlocks = weight.absmaxScales.length;
    this.absmaxCodes = bytes(manager, Arrays.copyOf(weight.absmaxCodes, scaleBlocks * Nf4Tensor.ABSMAX_BLOCK_SIZE));
    this.absmaxScales = manager.create(weight.absmaxScales, new Shape(scaleBlocks, 1));

    float[] pairs = new float[256 * 2];
    for (int b = 0; b < 256; b++) {
      pairs[2 * b] = Nf4Codebook.value(b >> 4);
      pairs[2 * b + 1] = Nf4Codebook.value(b & 0x0F);
    }
    this.nibblePairs = manager.create(pairs, new Shape(256, 2));
    this.dynamicMap = manager.create(DynamicMap.values(), new Shape(256, 1));
  }

  private static NDArray bytes(NDManager manager, byte[] values) {
    return manager.create(ByteBuffer.wrap(values), new Shape(values.length), DataType.UINT8);
  }

  /** The float32 weight {@code [out, in]}, created in {@code target}. */
  public NDArray dequantise(NDManager target) {
    // Ops land in the manager of the array they are called on. The byte-to-index conversions are called on the
    // long-lived quantised arrays, so they move to target at once; everything after is called on those.
    NDArray scaleCodes = inTarget(absmaxCodes.toType(DataType.INT64, false), target);
    NDArray absmax = lookUp(dynamicMap, scaleCodes)
        .reshape(-1, Nf4Tensor.ABSMAX_BLOCK_SIZE)
        .mul(absmaxScales)
        .add(absmaxOffset)
        .reshape(-1);
    if (absmax.size() != blocks) {
      absmax = absmax.get(new NDIndex("0:{}", blocks));
    }
    NDArray byteValues = inTarget(codes.toType(DataType.INT64, false), target);
    NDArray weight = lookUp(nibblePairs, byteValues)
        .reshape(blocks, Nf4Tensor.BLOCK_SIZE)
        .mul(absmax.reshape(blocks, 1))
        .reshape(-1);
    if (weight.size() != size) {
      weight = weight.get(new NDIndex("0:{}", size));
    }
    return weight.reshape(out, in);
  }

  /**
   * The rows of {@code table} that {@code indices} name, in the indices' manager. torch's embedding (a row
   * gather) rather than {@code table.get(indices)}: advanced indexing took three times as long for this.
   */
  private static NDArray lookUp(NDArray table, NDArray indices) {
    return indices.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }

  private static NDArray inTarget(NDArray array, NDManager target) {
    array.attach(target);
    return array;
  }

  /**
   * Dequantises into a scratch manager under x's and frees it before returning, so only the result stays: a
   * forward pass holds one layer's float32 weight at a time, not the model's. (Under a GradientCollector, autograd
   * itself keeps the weight for the backward pass of x.)
   */
  @Override
  public NDArray apply(NDArray x) {
    try (NDManager scratch = x.getManager().newSubManager()) {
      return x.matMul(dequantise(scratch).transpose());
    }
  }

  @Override
  public long inFeatures() {
    return in;
  }

  @Override
  public long outFeatures() {
    return out;
  }
}
