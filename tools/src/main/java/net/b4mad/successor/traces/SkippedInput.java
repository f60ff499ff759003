package net.b4mad.successor.traces;

/**
 * Input an import could not use, reported so the user can fix it; everything else in the file was still read.
 *
 * @param line the 1-based line for JSON lines, the 0-based index for the elements of a JSON array (the reason
 *     says which), 0 for a whole file
 */
public record SkippedInput(String file, int line, String reason) {}
