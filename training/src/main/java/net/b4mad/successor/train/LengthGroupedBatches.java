package net.b4mad.successor.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the training items, as micro-batches of similar length: a seeded
 * shuffle, cut into mega-batches of 50 micro-batches, each sorted longest first and cut into micro-batches;
 * then the micro-batches are shuffled, and the one holding the longest item is moved to the front so that a run
 * that does not fit memory fails at once. Padding to the longest item of a batch then wastes little, without
 * packing's cross-example attention masks. transformers' {@code LengthGroupedSampler} leaves each mega-batch
 * longest first; when the length tells kinds of data apart (long tool-use conversations, short chats), that
 * trains on one kind for twenty steps and then the other, and at a high learning rate the model swings between
 * them; shuffled batches mix the kinds as a plain shuffle does. The order depends only on the seed and the epoch,
 * so a resumed run sees the same batches.
 */
public final class LengthGroupedBatches {

  static final int MEGA_BATCH = 50;

  private LengthGroupedBatches() {}

  /** Micro-batches of item indices for {@code epoch}. */
  public static List<int[]> epoch(int[] lengths, int batchSize, long seed, int epoch) {
    Integer[] order = shuffled(lengths.length, seed, epoch);
    int mega = MEGA_BATCH * batchSize;
    List<int[]> batches = new ArrayList<>();
    for (int from = 0; from < order.length; from += mega) {
      Integer[] chunk = Arrays.copyOfRange(order, from, Math.min(order.length, from + mega));
      Arrays.sort(chunk, Comparator.comparingInt((Integer i) -> lengths[i]).reversed());
      for (int b = 0; b < chunk.length; b += batchSize) {
        batches.add(Arrays.stream(chunk, b, Math.min(chunk.length, b + batchSize)).mapToInt(Integer::intValue).toArray());
      }
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch + 1);
    for (int i = batches.size() - 1; i > 0; i--) {
      Collections.swap(batches, i, random.nextInt(i + 1));
    }
    int longest = 0;
    for (int b = 1; b < batches.size(); b++) {
      if (lengths[batches.get(b)[0]] > lengths[batches.get(longest)[0]]) {
        longest = b;
      }
    }
    if (longest > 0) {
      batches.add(0, batches.remove(longest));
    }
    return batches;
  }

  /** A seeded random order, without length grouping: the baseline the grouping is measured against. */
  public static List<int[]> shuffledEpoch(int count, int batchSize, long seed, int epoch) {
    Integer[] order = shuffled(count, seed, epoch);
    List<int[]> batches = new ArrayList<>();
    for (int b = 0; b < order.length; b += batchSize) {
      batches.add(Arrays.stream(order, b, Math.min(order.length, b + batchSize)).mapToInt(Integer::intValue).toArray());
    }
    return batches;
  }

  /** Real tokens over padded tokens when every batch is padded to its longest item. */
  public static double paddingEfficiency(int[] lengths, List<int[]> batches) {
    long real = 0;
    long padded = 0;
    for (int[] batch : batches) {
      int max = 0;
      for (int item : batch) {
        real += lengths[item];
        max = Math.max(max, lengths[item]);
      }
      padded += (long) max * batch.length;
    }
    return padded == 0 ? 1 : (double) real / padded;
  }

  private static Integer[] shuffled(int count, long seed, int epoch) {
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }
}
