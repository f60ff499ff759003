package net.b4mad.successor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DynamicMapTest {

  @Test
  void theMapHasBitsandbytesShape() {
    float[] map = DynamicMap.values();
    assertEquals(256, map.length);
    for (int i = 1; i < map.length; i++) {
      assertTrue(map[i - 1] < map[i], "sorted and distinct at " + i);
    }
    assertEquals(-0.99296875f, map[0], "the largest midpoint of linspace(0.1, 1, 65), negated");
    assertEquals(1f, map[255]);
    assertEquals(0.99296875f, map[254]);
    assertEquals(0f, map[127]);
    // 127 negative values, zero, 128 positive ones (1.0 has no negative twin).
    assertEquals(5.5e-7f, map[128], 1e-13f, "10^-6 * (0.1 + 1) / 2");
    assertEquals(-5.5e-7f, map[126], 1e-13f);
    for (int i = 0; i < 127; i++) {
      assertEquals(-map[254 - i], map[i], 0f, "symmetric apart from 1.0, at " + i);
    }
  }

  @Test
  void eachDecadeHoldsTwiceAsManyValuesAsTheOneBelow() {
    float[] map = DynamicMap.values();
    for (int level = 0; level < 7; level++) {
      double low = 0.1 * Math.pow(10, level - 6);
      double high = Math.pow(10, level - 6);
      int count = 0;
      for (float v : map) {
        if (v > low && v < high) {
          count++;
        }
      }
      assertEquals(1 << level, count, "level " + level);
    }
  }

  @Test
  void codesAreTheNearestValueWithTiesToTheLowerCode() {
    float[] map = DynamicMap.values();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      // Magnitudes spread over the decades the map covers, both signs, some beyond [-1, 1].
      float x = (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(10, -7 + 7.05 * random.nextDouble()));
      assertEquals(firstNearest(map, x), DynamicMap.code(x), "x = " + x);
    }
    for (int i = 0; i + 1 < map.length; i++) {
      float midpoint = (map[i] + map[i + 1]) / 2f;
      assertEquals(firstNearest(map, midpoint), DynamicMap.code(midpoint), "midpoint " + i);
      assertEquals(i, DynamicMap.code(map[i]));
    }
  }

  /** torch.argmin(abs(x - code)): the first index with the least float32 distance. */
  private static int firstNearest(float[] map, float x) {
    int best = 0;
    for (int i = 1; i < map.length; i++) {
      if (Math.abs(x - map[i]) < Math.abs(x - map[best])) {
        best = i;
      }
    }
    return best;
  }
}
