package net.b4mad.successor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LengthGroupedBatchesTest {

  /** Two kinds of data told apart by length, as long tool-use conversations and short chats are. */
  private static final int[] LENGTHS = lengths();

  private static int[] lengths() {
    int[] lengths = new int[800];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = i % 2 == 0 ? 500 + i % 7 : 50 + i % 5;
    }
    lengths[123] = 900;
    return lengths;
  }

  @Test
  void everyItemOnceTheLongestFirstAndTheSameOrderForTheSameSeedAndEpoch() {
    List<int[]> batches = LengthGroupedBatches.epoch(LENGTHS, 8, 3, 0);

    int[] visited = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(java.util.stream.IntStream.range(0, LENGTHS.length).toArray(), visited);
    assertTrue(Arrays.stream(batches.get(0)).anyMatch(item -> item == 123), "the longest item comes first");
    List<int[]> again = LengthGroupedBatches.epoch(LENGTHS, 8, 3, 0);
    for (int b = 0; b < batches.size(); b++) {
      assertArrayEquals(batches.get(b), again.get(b));
    }
    assertTrue(!Arrays.equals(batches.get(1), LengthGroupedBatches.epoch(LENGTHS, 8, 3, 1).get(1)),
        "another epoch, another order");
  }

  @Test
  void batchesHoldOneKindButTheKindsAreMixedOverTheEpoch() {
    List<int[]> batches = LengthGroupedBatches.epoch(LENGTHS, 8, 3, 0);

    int mixed = 0;
    int switches = 0;
    for (int b = 0; b < batches.size(); b++) {
      long longOnes = Arrays.stream(batches.get(b)).filter(item -> LENGTHS[item] >= 500).count();
      mixed += longOnes == 0 || longOnes == batches.get(b).length ? 0 : 1;
      if (b > 0 && isLong(batches.get(b)) != isLong(batches.get(b - 1))) {
        switches++;
      }
    }
    assertTrue(mixed <= 2, mixed + " batches mix long and short items: padding would waste half of them");
    // Sorted mega-batches would switch kind about 4 times in 100 batches; a random order about 50.
    assertTrue(switches > 30, "the kind of data switches " + switches + " times in " + batches.size() + " batches");
    assertEquals(100, batches.size());
  }

  private static boolean isLong(int[] batch) {
    return LENGTHS[batch[0]] >= 500;
  }
}
