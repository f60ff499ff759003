package net.b4mad.successor.quant;

import java.util.Arrays;

/**
 * A float32 tensor quantised to 4-bit NF4 in bitsandbytes' layout, with double quantisation
 * ({@code quantize_4bit(A, blocksize=64, compress_statistics=True, quant_type="nf4")}):
 *
 * <ul>
 *   <li>the elements, flattened row-major, in blocks of 64 (the last block may be partial); each block is
 *       scaled by its absmax and each element coded with {@link Nf4Codebook};
 *   <li>two codes per byte, element 2k in the high nibble and 2k + 1 in the low one; an odd tail is padded with
 *       the code of 0.0;
 *   <li>the block absmax values, less their mean (the offset), quantised in blocks of 256 with the 8-bit
 *       {@link DynamicMap}: one byte per 64-block, one float32 scale per 256 of them, and the float32 offset.
 * </ul>
 *
 * Dequantised, element i is {@code nf4[code_i] * (dynamic[absmaxCode_b] * scale_{b/256} + offset)} with b = i/64,
 * each product and sum rounded to float32 in that order, as bitsandbytes computes it.
 */
public final class Nf4Tensor {

  public static final int BLOCK_SIZE = 64;
  public static final int ABSMAX_BLOCK_SIZE = 256;

  private final long[] shape;
  private final int size;
  final byte[] codes;
  final byte[] absmaxCodes;
  final float[] absmaxScales;
  final float absmaxOffset;

  private Nf4Tensor(long[] shape, int size, byte[] codes, byte[] absmaxCodes, float[] absmaxScales, float absmaxOffset) {
    this.shape = shape;
    this.size = size;
    this.codes = codes;
    this.absmaxCodes = absmaxCodes;
    this.absmaxScales = absmaxScales;
    this.absmaxOffset = absmaxOffset;
  }

  /**
   * @param values the elements, row-major (for a linear weight {@code [out, in]} as PyTorch stores it); finite
   * @param shape the tensor's shape, whose product is {@code values.length}
   */
  public static Nf4Tensor quantise(float[] values, long... shape) {
    long elements = Arrays.stream(shape).reduce(1L, Math::multiplyExact);
    if (elements != values.length || values.length == 0) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " does not describe " + values.length + " values");
    }
    int size = values.length;
    int blocks = ceilDiv(size, BLOCK_SIZE);
    float[] absmax = new float[blocks];
    byte[] codes = new byte[ceilDiv(size, 2)];
    for (int block = 0; block < blocks; block++) {
      int start = block * BLOCK_SIZE;
      int end = Math.min(start + BLOCK_SIZE, size);
      float max = 0f;
      for (int i = start; i < end; i++) {
        float v = values[i];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("element " + i + " is " + v + ": only finite weights can be quantised");
        }
        max = Math.max(max, Math.abs(v));
      }
      absmax[block] = max;
      // bitsandbytes multiplies by the reciprocal rather than dividing, and so must we to get its codes.
      float reciprocal = 1f / max;
      // Blocks hold an even number of elements except the last, so a byte never straddles two blocks.
      for (int i = start; i < end; i += 2) {
        int high = Nf4Codebook.code(values[i] * reciprocal);
        int low = i + 1 < end ? Nf4Codebook.code(values[i + 1] * reciprocal) : Nf4Codebook.ZERO_CODE;
        codes[i >> 1] = (byte) (high << 4 | low);
      }
    }

    double sum = 0;
    for (float a : absmax) {
      sum += a;
    }
    float offset = (float) (sum / blocks);
    int scaleBlocks = ceilDiv(blocks, ABSMAX_BLOCK_SIZE);
    byte[] absmaxCodes = new byte[blocks];
    float[] absmaxScales = new float[scaleBlocks];
    for (int scaleBlock = 0; scaleBlock < scaleBlocks; scaleBlock++) {
      int start = scaleBlock * ABSMAX_BLOCK_SIZE;
      int end = Math.min(start + ABSMAX_BLOCK_SIZE, blocks);
      float max = 0f;
      for (int b = start; b < end; b++) {
        max = Math.max(max, Math.abs(absmax[b] - offset));
      }
      absmaxScales[scaleBlock] = max;
      float reciprocal = 1f / max;
      for (int b = start; b < end; b++) {
        absmaxCodes[b] = (byte) DynamicMap.code((absmax[b] - offset) * reciprocal);
      }
    }
    return new Nf4Tensor(shape.clone(), size, codes, absmaxCodes, absmaxScales, offset);
  }

  public long[] shape() {
    return shape.clone();
  }

  public int size() {
    return size;
  }

  public int blocks() {
    return absmaxCodes.length;
  }

  /** The packed 4-bit codes, {@code ceil(size / 2)} bytes. */
  public byte[] codes() {
    return codes.clone();
  }

  /** One 8-bit {@link DynamicMap} code per 64-block. */
  public byte[] absmaxCodes() {
    return absmaxCodes.clone();
  }

  /** One float32 scale per 256 blocks. */
  public float[] absmaxScales() {
    return absmaxScales.clone();
  }

  public float absmaxOffset() {
    return absmaxOffset;
  }

  /** The block absmax values as the dequantisation uses them, after their own 8-bit quantisation. */
  public float[] absmax() {
    float[] absmax = new float[absmaxCodes.length];
    for (int b = 0; b < absmax.length; b++) {
      absmax[b] = DynamicMap.value(absmaxCodes[b] & 0xFF) * absmaxScales[b / ABSMAX_BLOCK_SIZE] + absmaxOffset;
    }
    return absmax;
  }

  public float[] dequantise() {
    float[] absmax = absmax();
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      int code = i % 2 == 0 ? (codes[i >> 1] >> 4) & 0x0F : codes[i >> 1] & 0x0F;
      values[i] = Nf4Codebook.value(code) * absmax[i / BLOCK_SIZE];
    }
    return values;
  }

  /** Bits stored: the packed codes, the 8-bit absmax codes, the float32 scales and the float32 offset. */
  public long storedBits() {
    return 8L * codes.length + 8L * absmaxCodes.length + 32L * absmaxScales.length + 32;
  }

  public double bitsPerWeight() {
    return (double) storedBits() / size;
  }

  /** What {@link #storedBits()} comes to for a tensor of {@code size} elements, without quantising one. */
  public static long storedBits(long size) {
    long blocks = ceilDiv(size, BLOCK_SIZE);
    return 8 * ceilDiv(size, 2) + 8 * blocks + 32 * ceilDiv(blocks, ABSMAX_BLOCK_SIZE) + 32;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
