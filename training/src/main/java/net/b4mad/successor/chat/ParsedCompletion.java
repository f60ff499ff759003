package net.b4mad.successor.chat;

import java.util.List;

/**
 * An assistant completion taken apart: its reasoning (the {@code <think>} block, "" when there is none), the
 * plain text around the tool calls, the calls that parsed, and what did not parse. Broken model output is data
 * to report (an eval scores it, an agent shows it), not an exception.
 */
public record ParsedCompletion(String reasoning, String content, List<ToolCall> toolCalls, List<ParseError> errors) {

  public ParsedCompletion {
    toolCalls = List.copyOf(toolCalls);
    errors = List.copyOf(errors);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** A block that could not be read: its raw text as the model wrote it, and why. */
  public record ParseError(String raw, String reason) {}
}
