package net.b4mad.successor.quant;

/**
 * The 4-bit NormalFloat (NF4) data type of QLoRA, as bitsandbytes defines it: 16 values in [-1, 1], the 4-bit
 * code being the index. A value normalised by its block's absmax is coded as bitsandbytes' {@code dQuantizeNF4}
 * codes it (the CUDA kernel and the C++ CPU kernel share that decision tree).
 */
public final class Nf4Codebook {

  /**
   * bitsandbytes' {@code create_normal_map(offset=0.9677083, use_extra_value=True)}: quantiles of N(0, 1), scaled
   * to [-1, 1], with an exact zero and one more positive value than negative ones. Float32 values, as its kernels
   * hold them.
   */
  private static final float[] VALUES = {
    -1.0f,
    -0.6961928009986877f,
    -0.5250730514526367f,
    -0.39491748809814453f,
    -0.28444138169288635f,
    -0.18477343022823334f,
    -0.09105003625154495f,
    0.0f,
    0.07958029955625534f,
    0.16093020141124725f,
    0.24611230194568634f,
    0.33791524171829224f,
    0.44070982933044434f,
    0.5626170039176941f,
    0.7229568362236023f,
    1.0f
  };

  /** The code that a normalised 0.0 gets: bitsandbytes pads an odd-length tensor's last byte with it. */
  public static final int ZERO_CODE = 7;

  /**
   * Threshold k separates code k from code k + 1: the midpoint of the two values as bitsandbytes' decision tree
   * holds it. Its literals (e.g. {@code 0.03979014977812767f}) are the exact double midpoints printed as Python
   * prints a double (the shortest decimal that reads back to it), which the C compiler then reads as a float.
   * Reading that decimal is not always rounding the midpoint itself: four midpoints (thresholds 0, 8, 12, 14) lie
   * exactly halfway between two floats, where the printed decimal, a little off the midpoint, decides the side.
   * So the thresholds are made the same way: print, then parse as float.
   */
  private static final float[] THRESHOLDS = new float[15];

  static {
    for (int k = 0; k < THRESHOLDS.length; k++) {
      double midpoint = ((double) VALUES[k] + VALUES[k + 1]) / 2;
      THRESHOLDS[k] = Float.parseFloat(Double.toString(midpoint));
    }
  }

  private Nf4Codebook() {}

  public static float value(int code) {
    return VALUES[code];
  }

  public static float[] values() {
    return VALUES.clone();
  }

  /** The midpoint between the values of codes k and k + 1, as bitsandbytes' float32 literal. */
  public static float threshold(int k) {
    return THRESHOLDS[k];
  }

  /**
   * The 4-bit code of a value already normalised by its block's absmax.
   *
   * <p>bitsandbytes' {@code dQuantizeNF4} is a balanced binary tree of {@code if (x > threshold)} tests, each
   * going to the upper half when true. It therefore returns the number of thresholds that x is strictly greater
   * than, which is what this 4-step search computes. Consequences, all shared with bitsandbytes: a value exactly
   * on a threshold gets the lower code; values beyond [-1, 1] (x * (1/absmax) can overshoot 1 by an ulp) get code
   * 0 or 15; and NaN, for which every comparison is false, gets code 0, which is what an all-zero block produces
   * (0 * (1/0) is NaN), so such a block dequantises to -1 times its absmax, i.e. to (nearly) zero.
   */
  public static int code(float normalised) {
    int code = 0;
    for (int step = 8; step > 0; step >>= 1) {
      if (normalised > THRESHOLDS[code + step - 1]) {
        code += step;
      }
    }
    return code;
  }
}
