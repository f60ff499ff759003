package net.b4mad.successor.datasets;

/**
 * One thing wrong with one example.
 *
 * @param exampleId the example's id ({@code line-N} for a file line without one)
 * @param kind one of {@link DatasetValidator#KINDS}
 * @param message what is wrong, and where ({@code messages[3].tool_calls[0]})
 * @param fix how to repair it
 */
public record ValidationProblem(String exampleId, String kind, String message, String fix) {}
