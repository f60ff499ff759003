package net.b4mad.successor.generation;

/**
 * The tokens a model produced after a prompt.
 *
 * @param stopReason {@code "stop_token"} when a stop id ended it (the id is included), {@code "cancelled"},
 *     or {@code "max_new_tokens"}
 */
public record Generation(int[] tokens, String stopReason, int promptTokens) {}
