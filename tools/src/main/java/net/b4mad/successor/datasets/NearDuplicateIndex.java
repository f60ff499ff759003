package net.b4mad.successor.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Finds texts that share most of their word 5-shingles: MinHash signatures (128 hash functions) estimate the
 * Jaccard similarity of two shingle sets, and LSH banding finds the candidates without comparing every pair.
 *
 * <p>The bands are chosen from the threshold: the most rows per band (fewest false candidates) for which a pair
 * exactly at the threshold still becomes a candidate with probability at least 0.99. For the default 0.9 that is
 * 16 bands of 8 rows. Similarity is then estimated from the full signatures (standard error about 0.03 near
 * 0.9), as datasketch and the text-dedup tools do, so a pair just under the threshold may go either way.
 *
 * <p>Signatures are deterministic (fixed hash seeds), so the same inputs dedupe the same way on every run.
 */
public final class NearDuplicateIndex {

  public static final int PERMUTATIONS = 128;
  public static final int SHINGLE_WORDS = 5;
  /** Bounds the work per query when many kept texts share buckets without being similar enough. */
  static final int MAX_CANDIDATES = 4096;

  private static final long[] SEEDS = new long[PERMUTATIONS];

  static {
    SplittableRandom random = new SplittableRandom(0x5ECC_E550L);
    for (int i = 0; i < PERMUTATIONS; i++) {
      SEEDS[i] = random.nextLong();
    }
  }

  /** A kept entry at or above the threshold, and the estimated similarity. */
  public record Match(int entry, double similarity) {}

  private final double threshold;
  private final int rows;
  private final int bands;
  private int[] signatures = new int[PERMUTATIONS * 256];
  private int size;
  /** Bucket key (band and its rows' hash) to the newest entry in that bucket. */
  private final BucketTable heads = new BucketTable();
  /** For entry e and band b, {@code older[e * bands + b]}: the previous entry in the same bucket, or -1. */
  private int[] older = new int[256 * PERMUTATIONS];
  private int[] lastQuery = new int[256];
  private int queries;

  /** @param threshold estimated Jaccard similarity at or above which two texts are near-duplicates, in (0, 1] */
  public NearDuplicateIndex(double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("the near-duplicate threshold must be in (0, 1], got " + threshold);
    }
    this.threshold = threshold;
    this.rows = rowsFor(threshold);
    this.bands = PERMUTATIONS / rows;
  }

  static int rowsFor(double threshold) {
    for (int rows = 16; rows > 1; rows /= 2) {
      int bands = PERMUTATIONS / rows;
      double candidate = 1 - Math.pow(1 - Math.pow(threshold, rows), bands);
      if (candidate >= 0.99) {
        return rows;
      }
    }
    return 1;
  }

  public int bands() {
    return bands;
  }

  public int rows() {
    return rows;
  }

  public int size() {
    return size;
  }

  /**
   * The MinHash signature of a text's lower-cased word 5-shingles (a text of fewer words is one shingle).
   * Each of the 128 values is the minimum of a seeded 64-bit mix over the shingle hashes.
   */
  public static int[] signature(String text) {
    long[] words = wordHashes(text);
    int[] signature = new int[PERMUTATIONS];
    Arrays.fill(signature, Integer.MAX_VALUE);
    int shingles = Math.max(1, words.length - SHINGLE_WORDS + 1);
    for (int s = 0; s < shingles; s++) {
      long shingle = 0x243F_6A88_85A3_08D3L;
      for (int k = s; k < Math.min(s + SHINGLE_WORDS, words.length); k++) {
        shingle = mix(shingle ^ words[k]);
      }
      for (int p = 0; p < PERMUTATIONS; p++) {
        int value = (int) (mix(shingle ^ SEEDS[p]) >>> 33);
        if (value < signature[p]) {
          signature[p] = value;
        }
      }
    }
    return signature;
  }

  /** FNV-1a hashes of the whitespace-separated words, lower-cased. */
  private static long[] wordHashes(String text) {
    long[] hashes = new long[16];
    int count = 0;
    long hash = 0;
    boolean inWord = false;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ' ';
      if (Character.isWhitespace(c)) {
        if (inWord) {
          if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, count * 2);
          }
          hashes[count++] = hash;
          inWord = false;
        }
        continue;
      }
      if (!inWord) {
        hash = 0xCBF2_9CE4_8422_2325L;
        inWord = true;
      }
      hash = (hash ^ Character.toLowerCase(c)) * 0x100_0000_01B3L;
    }
    return Arrays.copyOf(hashes, count);
  }

  /** SplitMix64's finaliser: a cheap, well-mixed 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  /** The most similar kept entry at or above the threshold, or null. */
  public Match findSimilar(int[] signature) {
    queries++;
    int best = -1;
    double bestSimilarity = -1;
    int checked = 0;
    for (int band = 0; band < bands && checked < MAX_CANDIDATES; band++) {
      int entry = heads.get(bucketKey(signature, 0, band));
      while (entry >= 0 && checked < MAX_CANDIDATES) {
        if (lastQuery[entry] != queries) {
          lastQuery[entry] = queries;
          checked++;
          double similarity = similarity(signature, 0, signatures, entry * PERMUTATIONS);
          if (similarity >= threshold && similarity > bestSimilarity) {
            best = entry;
            bestSimilarity = similarity;
          }
        }
        entry = older[entry * bands + band];
      }
    }
    return best < 0 ? null : new Match(best, bestSimilarity);
  }

  /** Keeps a signature; returns its entry number (0, 1, 2, ... in the order added). */
  public int add(int[] signature) {
    int entry = size++;
    if (size * PERMUTATIONS > signatures.length) {
      signatures = Arrays.copyOf(signatures, signatures.length * 2);
      older = Arrays.copyOf(older, Math.max(older.length * 2, size * bands));
      lastQuery = Arrays.copyOf(lastQuery, lastQuery.length * 2);
    }
    System.arraycopy(signature, 0, signatures, entry * PERMUTATIONS, PERMUTATIONS);
    for (int band = 0; band < bands; band++) {
      older[entry * bands + band] = heads.put(bucketKey(signature, 0, band), entry);
    }
    return entry;
  }

  static double similarity(int[] a, int aOffset, int[] b, int bOffset) {
    int equal = 0;
    for (int p = 0; p < PERMUTATIONS; p++) {
      if (a[aOffset + p] == b[bOffset + p]) {
        equal++;
      }
    }
    return equal / (double) PERMUTATIONS;
  }

  private long bucketKey(int[] signature, int offset, int band) {
    long key = mix(band + 1L);
    for (int r = band * rows; r < (band + 1) * rows; r++) {
      key = mix(key ^ (signature[offset + r] & 0xFFFF_FFFFL));
    }
    return key;
  }

  /**
   * An open-addressing map from bucket key to entry number: at 50,000 texts and 16 bands a boxed HashMap would
   * take ten times the memory.
   */
  private static final class BucketTable {
    private long[] keys = new long[1024];
    private int[] values = filled(1024);
    private int count;

    private static int[] filled(int n) {
      int[] values = new int[n];
      Arrays.fill(values, -1);
      return values;
    }

    int get(long key) {
      int mask = keys.length - 1;
      for (int i = (int) key & mask; values[i] >= 0; i = (i + 1) & mask) {
        if (keys[i] == key) {
          return values[i];
        }
      }
      return -1;
    }

    /** Sets the key's value; returns the previous one, or -1. */
    int put(long key, int value) {
      if (2 * (count + 1) > keys.length) {
        grow();
      }
      int mask = keys.length - 1;
      int i = (int) key & mask;
      while (values[i] >= 0) {
        if (keys[i] == key) {
          int previous = values[i];
          values[i] = value;
          return previous;
        }
        i = (i + 1) & mask;
      }
      keys[i] = key;
      values[i] = value;
      count++;
      return -1;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = filled(oldKeys.length * 2);
      count = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldValues[i] >= 0) {
          put(oldKeys[i], oldValues[i]);
        }
      }
    }
  }
}
