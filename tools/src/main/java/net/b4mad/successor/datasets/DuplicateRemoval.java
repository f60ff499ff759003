package net.b4mad.successor.datasets;

/**
 * An example left out because it repeats one that was kept.
 *
 * @param kind {@code exact} (same rendered text up to whitespace) or {@code near} (MinHash similarity)
 * @param similarity 1 for exact duplicates, else the estimated Jaccard similarity of the word 5-shingles
 */
public record DuplicateRemoval(String removedId, String keptId, String kind, double similarity) {}
