package net.b4mad.successor.quant;

import java.util.Arrays;

/**
 * bitsandbytes' signed 8-bit dynamic quantisation map, {@code create_dynamic_map(signed=True, max_exponent_bits=7,
 * total_bits=8)}: the code book with which double quantisation stores the NF4 block scales in 8 bits.
 *
 * <p>The construction (Dettmers, "8-Bit Approximations for Parallelism in Deep Learning"): a dynamic exponent
 * followed by a linear fraction. For exponent level i = 0..6 it takes the 2^i + 1 points
 * {@code linspace(0.1, 1, 2^i + 1)}, the 2^i midpoints of consecutive points, and scales them by 10^(i - 6);
 * each such value is added with both signs. That gives 2 * (1 + 2 + ... + 64) = 254 values spanning
 * 5.5e-7 .. 0.99296875 in magnitude, to which bitsandbytes adds 0 and 1.0 (so 1.0 is exact and the map is
 * asymmetric: its most negative value is -0.99296875); sorted, the 256 values are the codes 0..255.
 *
 * <p>bitsandbytes builds the map with torch in float32, and so does this: linspace by torch's formula (start +
 * step * i for the first half, end - step * (n - 1 - i) for the rest, all float32), the midpoints and the scaling
 * rounded to float32 at each step as torch's elementwise ops round them. Where torch takes a vectorised path for
 * the longer linspaces the last bit of a value may differ; that moves a dequantised scale by about 1e-7 of itself.
 */
public final class DynamicMap {

  private static final float[] VALUES = build();

  private DynamicMap() {}

  public static float value(int code) {
    return VALUES[code];
  }

  public static float[] values() {
    return VALUES.clone();
  }

  /**
   * The code of a value already normalised by its block's absmax: the nearest map value by float32 distance,
   * the lower code when two are equally near. That is the rule of bitsandbytes' CPU paths (the torch backend's
   * {@code argmin(abs(x - code))} keeps the first minimum; the C++ kernel moves right only when strictly nearer).
   * Its CUDA kernel reaches the same nearest value by a binary search and breaks an exact tie towards the search's
   * last pivot instead; ties need a scale exactly on a float32 midpoint.
   */
  public static int code(float normalised) {
    // The last value <= x (0 when x is below them all, or NaN), then whichever of it and its right neighbour
    // is nearer: the map is sorted, so the nearest value is one of the two.
    int low = 0;
    int high = VALUES.length - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (VALUES[middle] <= normalised) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    if (low < VALUES.length - 1
        && Math.abs(normalised - VALUES[low + 1]) < Math.abs(normalised - VALUES[low])) {
      return low + 1;
    }
    return low;
  }

  private static float[] build() {
    float[] values = new float[256];
    int count = 0;
    for (int level = 0; level < 7; level++) {
      float[] boundaries = linspace(0.1f, 1f, (1 << level) + 1);
      // Python's 10 ** (level - 6) is the double nearest the power; torch rounds the scalar to float32.
      float scale = (float) Double.parseDouble("1e" + (level - 6));
      for (int k = 0; k + 1 < boundaries.length; k++) {
        float mean = (boundaries[k] + boundaries[k + 1]) / 2f;
        values[count++] = scale * mean;
        values[count++] = -(scale * mean);
      }
    }
    values[count++] = 0f;
    values[count++] = 1f;
    if (count != values.length) {
      throw new IllegalStateException("the dynamic map has " + count + " values, not 256");
    }
    Arrays.sort(values);
    return values;
  }

  /** torch.linspace in float32, by its CPU kernel's scalar formula. */
  private static float[] linspace(float start, float end, int steps) {
    float step = (end - start) / (steps - 1);
    int halfway = steps / 2;
    float[] points = new float[steps];
    for (int i = 0; i < steps; i++) {
      points[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
    }
    return points;
  }
}
