package net.b4mad.successor.datasets;

import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.traces.TraceFilter;

/**
 * What {@code dataset_build} is asked for.
 *
 * @param traces which traces to use; null for none (a dataset of gold examples only)
 * @param evalFraction share of the trace examples that go to eval when {@code heldOut} is null
 * @param groupBy {@code none}, {@code session} or {@code bead}: examples of one group stay on one side
 * @param heldOut traces that go to eval (with their whole group); null to split by {@code evalFraction}
 * @param nearThreshold Jaccard similarity for near-duplicates; NaN for exact duplicates only
 * @param onInvalid {@code exclude} (default), {@code keep} or {@code fail}
 */
public record BuildRequest(
    String name,
    TraceFilter traces,
    List<GoldFile> goldFiles,
    List<MixIn> mixIns,
    double evalFraction,
    String groupBy,
    TraceFilter heldOut,
    long seed,
    boolean dedupe,
    double nearThreshold,
    int maxTokens,
    String onInvalid) {

  public static final double DEFAULT_EVAL_FRACTION = 0.1;
  public static final double DEFAULT_NEAR_THRESHOLD = 0.9;
  public static final List<String> ON_INVALID = List.of("exclude", "keep", "fail");

  /** A file of hand-written examples; they go to train, or all to eval when {@code eval} is set. */
  public record GoldFile(Path path, boolean eval) {}

  /** General data mixed into train: {@code ratio} examples from the file per example of the dataset's own. */
  public record MixIn(Path path, double ratio) {}

  public BuildRequest {
    DatasetStore.checkName(name);
    goldFiles = goldFiles == null ? List.of() : List.copyOf(goldFiles);
    mixIns = mixIns == null ? List.of() : List.copyOf(mixIns);
    if (!(evalFraction >= 0 && evalFraction < 1)) {
      throw new IllegalArgumentException("eval_fraction must be at least 0 and below 1, got " + evalFraction);
    }
    if (!DatasetSplitter.GROUPINGS.contains(groupBy)) {
      throw new IllegalArgumentException("group_by must be one of " + DatasetSplitter.GROUPINGS + ", got '" + groupBy + "'");
    }
    if (!Double.isNaN(nearThreshold) && !(nearThreshold > 0 && nearThreshold <= 1)) {
      throw new IllegalArgumentException("near_duplicate_threshold must be above 0 and at most 1, got " + nearThreshold);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
    }
    if (!ON_INVALID.contains(onInvalid)) {
      throw new IllegalArgumentException("on_invalid must be one of " + ON_INVALID + ", got '" + onInvalid + "'");
    }
    for (MixIn mixIn : mixIns) {
      if (!(mixIn.ratio() > 0) || Double.isInfinite(mixIn.ratio())) {
        throw new IllegalArgumentException("the mix-in ratio of " + mixIn.path() + " must be above 0, got " + mixIn.ratio());
      }
    }
  }
}
