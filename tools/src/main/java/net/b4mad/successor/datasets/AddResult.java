package net.b4mad.successor.datasets;

import java.util.List;

/**
 * What {@code dataset_add_examples} did.
 *
 * @param version the new version, or the unchanged latest one when nothing was added (null when the dataset
 *     still has no version)
 * @param alreadyPresent ids of valid examples the dataset already held (ids are content hashes)
 * @param refused examples that failed validation, by their position in the request
 */
public record AddResult(
    String name,
    String version,
    String ref,
    boolean created,
    String previousVersion,
    int added,
    List<String> addedIds,
    List<String> alreadyPresent,
    List<Refused> refused,
    DatasetManifest.Counts counts) {

  /** @param id null when the example could not even be read */
  public record Refused(int index, String id, List<ValidationProblem> problems) {}
}
