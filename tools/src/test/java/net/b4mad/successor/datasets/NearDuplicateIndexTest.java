package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NearDuplicateIndexTest {

  /** A text of n random words from a vocabulary large enough that unrelated texts share no 5-shingles. */
  static List<String> words(Random random, int n) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add("w" + random.nextInt(100_000));
    }
    return words;
  }

  /** Exact Jaccard similarity of the word 5-shingle sets, for comparison with the estimate. */
  static double jaccard(List<String> a, List<String> b) {
    Set<String> sa = shingles(a);
    Set<String> sb = shingles(b);
    Set<String> union = new HashSet<>(sa);
    union.addAll(sb);
    sa.retainAll(sb);
    return sa.size() / (double) union.size();
  }

  static Set<String> shingles(List<String> words) {
    Set<String> set = new HashSet<>();
    for (int i = 0; i + 5 <= words.size(); i++) {
      set.add(String.join(" ", words.subList(i, i + 5)));
    }
    return set;
  }

  @Test
  void findsNearDuplicatesAboveTheThresholdAndKeepsDistinctTexts() {
    Random random = new Random(7);
    NearDuplicateIndex index = new NearDuplicateIndex(0.9);
    List<List<String>> originals = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      List<String> text = words(random, 400);
      originals.add(text);
      assertNull(index.findSimilar(NearDuplicateIndex.signature(String.join(" ", text))), "distinct text " + i + " matched");
      index.add(NearDuplicateIndex.signature(String.join(" ", text)));
    }
    // One word changed in 400: about 97% of the shingles survive.
    for (int i = 0; i < 200; i += 10) {
      List<String> edited = new ArrayList<>(originals.get(i));
      edited.set(200, "changed");
      assertTrue(jaccard(edited, originals.get(i)) > 0.95);
      NearDuplicateIndex.Match match = index.findSimilar(NearDuplicateIndex.signature(String.join(" ", edited)));
      assertNotNull(match, "near-duplicate of " + i + " missed");
      assertEquals(i, match.entry());
      assertTrue(match.similarity() >= 0.9, "similarity " + match.similarity());
    }
    // Half the text replaced: well under the threshold, so kept.
    List<String> half = new ArrayList<>(originals.get(3).subList(0, 200));
    half.addAll(words(random, 200));
    assertTrue(jaccard(half, originals.get(3)) < 0.4);
    assertNull(index.findSimilar(NearDuplicateIndex.signature(String.join(" ", half))));
  }

  @Test
  void theEstimateTracksTheTrueJaccardSimilarity() {
    Random random = new Random(11);
    List<String> base = words(random, 1000);
    for (int changed : new int[] {10, 50, 100, 200}) {
      List<String> edited = new ArrayList<>(base);
      for (int k = 0; k < changed; k++) {
        edited.set(random.nextInt(edited.size()), "x" + k);
      }
      double truth = jaccard(base, edited);
      double estimate = NearDuplicateIndex.similarity(
          NearDuplicateIndex.signature(String.join(" ", base)), 0, NearDuplicateIndex.signature(String.join(" ", edited)), 0);
      assertEquals(truth, estimate, 0.12, "changed " + changed);
    }
  }

  @Test
  void signaturesIgnoreCaseAndSpacingAndAreDeterministic() {
    assertArrayEquals(NearDuplicateIndex.signature("The quick brown fox jumps over the lazy dog"),
        NearDuplicateIndex.signature("the  quick\nbrown fox JUMPS over the lazy   dog "));
  }

  @Test
  void bandsFollowTheThreshold() {
    assertEquals(8, new NearDuplicateIndex(0.9).rows());
    assertEquals(16, new NearDuplicateIndex(0.9).bands());
    assertEquals(4, new NearDuplicateIndex(0.8).rows());
    assertEquals(2, new NearDuplicateIndex(0.5).rows());
    assertThrows(IllegalArgumentException.class, () -> new NearDuplicateIndex(0));
    assertThrows(IllegalArgumentException.class, () -> new NearDuplicateIndex(1.5));
  }

  @Test
  void theFilterKeepsTheFirstAndNamesItForEachDuplicate() {
    DuplicateFilter filter = new DuplicateFilter(0.9);
    Random random = new Random(3);
    String a = String.join(" ", words(random, 300));
    String b = String.join(" ", words(random, 300));
    assertNull(filter.offer("a", DuplicateFilter.exactKey(a), NearDuplicateIndex.signature(a)));
    assertNull(filter.offer("b", DuplicateFilter.exactKey(b), NearDuplicateIndex.signature(b)));
    String aSpaced = "  " + a.replace(" ", "\n\t ") + "\n";
    DuplicateRemoval exact = filter.offer("a2", DuplicateFilter.exactKey(aSpaced), NearDuplicateIndex.signature(aSpaced));
    assertEquals(new DuplicateRemoval("a2", "a", "exact", 1.0), exact);
    String bEdited = b.replaceFirst("w\\d+", "edited");
    DuplicateRemoval near = filter.offer("b2", DuplicateFilter.exactKey(bEdited), NearDuplicateIndex.signature(bEdited));
    assertEquals("b", near.keptId());
    assertEquals("near", near.kind());

    DuplicateFilter exactOnly = new DuplicateFilter(Double.NaN);
    assertNull(exactOnly.offer("b", DuplicateFilter.exactKey(b), null));
    assertNull(exactOnly.offer("b2", DuplicateFilter.exactKey(bEdited), null));
  }
}
