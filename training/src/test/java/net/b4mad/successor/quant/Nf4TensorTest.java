package net.b4mad.successor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Nf4TensorTest {

  static float[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static float exactAbsmax(float[] values, int block) {
    float max = 0;
    for (int i = block * 64; i < Math.min(values.length, block * 64 + 64); i++) {
      max = Math.max(max, Math.abs(values[i]));
    }
    return max;
  }

  private static double largestHalfGap(float[] sortedValues) {
    double gap = 0;
    for (int i = 0; i + 1 < sortedValues.length; i++) {
      gap = Math.max(gap, ((double) sortedValues[i + 1] - sortedValues[i]) / 2);
    }
    return gap;
  }

  /** The codes of one block, worked out by hand from the codebook, in bitsandbytes' byte order. */
  @Test
  void codesArePackedHighNibbleFirst() {
    float[] block = new float[64];
    // absmax 2: the normalised values are -1, -0.5250.., 0, 0.0795.., 1, ... and the rest 0.
    block[0] = -2f;
    block[1] = 2 * Nf4Codebook.value(2);
    block[2] = 0f;
    block[3] = 2 * Nf4Codebook.value(8);
    block[4] = 2f;
    block[5] = 2 * Nf4Codebook.value(13);
    Nf4Tensor q = Nf4Tensor.quantise(block, 8, 8);
    byte[] codes = q.codes();
    assertEquals(32, codes.length);
    assertEquals((byte) 0x02, codes[0], "element 0 (code 0) high, element 1 (code 2) low");
    assertEquals((byte) 0x78, codes[1]);
    assertEquals((byte) 0xFD, codes[2]);
    for (int i = 3; i < 32; i++) {
      assertEquals((byte) 0x77, codes[i], "zeros are code 7");
    }
    // One block: its absmax is the offset itself, stored exactly, and the 8-bit code stores a zero deviation.
    assertEquals(2f, q.absmaxOffset());
    assertArrayEquals(new float[] {2f}, q.absmax());
    assertArrayEquals(block, q.dequantise());
  }

  @Test
  void aPartialLastBlockHasItsOwnAbsmaxAndAnOddTailIsPaddedWithTheZeroCode() {
    float[] values = gaussian(64 * 3 + 5, 2);
    values[64 * 3 + 2] = 10f; // the tail's absmax, far above the other blocks'
    Nf4Tensor q = Nf4Tensor.quantise(values, 197);
    assertEquals(4, q.blocks());
    assertEquals(99, q.codes().length);
    assertEquals(Nf4Codebook.ZERO_CODE, q.codes()[98] & 0x0F, "the padding nibble");
    assertEquals(15, (q.codes()[97] >> 4) & 0x0F, "element 194 is the tail's absmax: code 15 (1.0)");
    float[] back = q.dequantise();
    assertEquals(197, back.length);
    float[] absmax = q.absmax();
    for (int b = 0; b < 4; b++) {
      assertEquals(exactAbsmax(values, b), absmax[b], 0.01 * exactAbsmax(values, 3), "block " + b);
    }
    assertEquals(10f, back[194], 0.01f * 10f);
  }

  /**
   * 1M Gaussian weights: every element within the worst case the two code books allow, and on average better
   * than a uniform 4-bit grid over the same [-absmax, absmax], which is what NF4's quantile spacing is for.
   */
  @Test
  void quantisingGaussianWeightsLosesLittle() {
    int rows = 1024;
    int cols = 1024;
    float[] w = gaussian(rows * cols, 1);
    Nf4Tensor q = Nf4Tensor.quantise(w, rows, cols);
    float[] back = q.dequantise();
    float[] absmax = q.absmax();
    double nf4HalfGap = largestHalfGap(Nf4Codebook.values()); // (1 - 0.7229..) / 2
    double absErr = 0;
    double sqErr = 0;
    double uniformSqErr = 0;
    double absmaxSum = 0;
    for (int i = 0; i < w.length; i++) {
      int b = i / 64;
      float exact = exactAbsmax(w, b);
      // The element's code is within half a gap of w/absmax; the block's scale is off by |absmax_dq - absmax|.
      double bound = nf4HalfGap * exact + Math.abs(absmax[b] - exact) + 1e-6 * exact;
      double err = Math.abs(back[i] - w[i]);
      assertTrue(err <= bound, "element " + i + ": error " + err + " > " + bound);
      absErr += err;
      sqErr += err * err;
      double uniform = Math.round(w[i] / exact * 7.5 + 7.5) / 7.5 - 1; // 16 evenly spaced levels in [-1, 1]
      uniformSqErr += Math.pow(uniform * exact - w[i], 2);
      absmaxSum += i % 64 == 0 ? exact : 0;
    }
    assertTrue(sqErr < 0.95 * uniformSqErr, "NF4 squared error " + sqErr + " vs uniform 4-bit " + uniformSqErr);
    // Most normalised values fall where NF4's codes are 0.08-0.09 apart, where the mean error is a quarter of
    // that (0.022); the sparser tails lift it. Measured 0.028 of the mean absmax.
    double relative = absErr / w.length / (absmaxSum / q.blocks());
    assertTrue(relative < 0.03, "mean absolute error relative to the block absmax: " + relative);
  }

  /**
   * The 8-bit code of (absmax - offset) / scale is within half a gap of the dynamic map of the truth, so each
   * dequantised absmax is within that times its 256-block's scale.
   */
  @Test
  void doubleQuantisedAbsmaxStaysCloseToTheOriginals() {
    float[] w = gaussian(64 * 256 * 3 + 64 * 10, 4); // three full 256-blocks of absmax and a partial one
    Nf4Tensor q = Nf4Tensor.quantise(w, w.length);
    assertEquals(778, q.blocks());
    assertEquals(4, q.absmaxScales().length);
    float[] absmax = q.absmax();
    float[] scales = q.absmaxScales();
    double mapHalfGap = largestHalfGap(DynamicMap.values()); // 0.9/64/2 in the top decade
    double worstRelative = 0;
    double sumRelative = 0;
    for (int b = 0; b < absmax.length; b++) {
      float exact = exactAbsmax(w, b);
      double err = Math.abs(absmax[b] - exact);
      assertTrue(err <= mapHalfGap * scales[b / 256] + 1e-6 * exact, "block " + b + ": " + err);
      worstRelative = Math.max(worstRelative, err / exact);
      sumRelative += err / exact;
    }
    assertTrue(worstRelative < 0.015, "worst relative absmax error " + worstRelative);
    assertTrue(sumRelative / absmax.length < 0.0025, "mean relative absmax error " + sumRelative / absmax.length);
  }

  @Test
  void nf4WithDoubleQuantisationStoresAbout4Point127BitsPerWeight() {
    float[] w = gaussian(1024 * 1024, 6);
    Nf4Tensor q = Nf4Tensor.quantise(w, 1024, 1024);
    assertEquals(Nf4Tensor.storedBits(w.length), q.storedBits());
    long n = 4096L * 4096;
    double expected = 4 + 8.0 / 64 + 32.0 / (64 * 256) + 32.0 / n; // codes, absmax codes, scales, offset
    assertEquals(expected, (double) Nf4Tensor.storedBits(n) / n, 1e-12);
    assertEquals(4.127, (double) Nf4Tensor.storedBits(n) / n, 5e-4);
    assertEquals(4.127, q.bitsPerWeight(), 5e-4);
  }

  @Test
  void nonFiniteWeightsAndWrongShapesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Nf4Tensor.quantise(new float[] {1f, Float.NaN}, 2));
    assertThrows(IllegalArgumentException.class, () -> Nf4Tensor.quantise(new float[6], 2, 2));
  }
}
