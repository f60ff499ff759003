package net.b4mad.successor.datasets;

import java.util.List;
import java.util.Map;

/**
 * What {@code dataset_build} reports: the version, and what was left out and why (the manifest has it all; lists
 * here stop at {@link DatasetBuilder#MAX_LISTED} entries).
 *
 * @param created false when the same inputs had already built this version; nothing was written then
 * @param invalid the examples left out (or kept, with on_invalid: keep) for validation problems
 */
public record BuildResult(
    String name,
    String version,
    String ref,
    boolean created,
    String createdAt,
    String path,
    String manifestUri,
    DatasetManifest.Counts counts,
    DatasetManifest.Split split,
    ValidationReport invalid,
    Duplicates duplicates,
    DatasetStats.TokenStats tokens,
    Map<String, Integer> scrubCounts) {

  /** Duplicates removed before the split. */
  public record Duplicates(int exact, int near, List<DuplicateRemoval> removed, boolean truncated) {}
}
