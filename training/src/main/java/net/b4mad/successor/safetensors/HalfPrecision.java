package net.b4mad.successor.safetensors;

/**
 * Conversions between float32 and the two 16-bit float formats of checkpoints. Done in Java because DJL aborts
 * the JVM on BF16 arrays, and Java 17 has no {@code Float.float16ToFloat}.
 */
public final class HalfPrecision {

  private HalfPrecision() {}

  /** bfloat16 is the upper half of a float32, so widening is exact. */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /**
   * Rounds to the nearest bfloat16, ties to even, as PyTorch does; a NaN stays a NaN (its payload could
   * otherwise round into the infinity pattern) and overflow rounds to infinity.
   */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x0040);
    }
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7fff + lsb) >>> 16);
  }

  /** IEEE 754 binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits; every value is exact in float32. */
  public static float f16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      // infinity (mantissa 0) or NaN, payload kept
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // zero or subnormal: mantissa * 2^-24, exact in float32
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    // rebias the exponent from 15 to 127
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
