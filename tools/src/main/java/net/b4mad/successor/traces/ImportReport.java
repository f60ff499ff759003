package net.b4mad.successor.traces;

import java.util.List;
import java.util.Map;

/**
 * What an import did.
 *
 * @param imported conversations stored that were not there before
 * @param duplicates conversations already stored (the same content, by hash), so not stored again
 * @param skipped the input that could not be used, at most {@link TraceImport#MAX_LISTED_SKIPS} listed
 * @param skippedCount all skipped input, listed or not
 * @param scrubbed secrets replaced, per kind
 * @param files the files read
 * @param formats conversations read per format
 */
public record ImportReport(
    int imported,
    int duplicates,
    List<SkippedInput> skipped,
    int skippedCount,
    Map<String, Integer> scrubbed,
    int files,
    Map<String, Integer> formats) {}
