package net.b4mad.successor.traces;

import java.util.List;

/**
 * One message of a conversation: {@code system}, {@code user}, {@code assistant} (with optional reasoning and
 * tool calls) or {@code tool} (a result, answering the call {@code toolCallId}; {@code name} is the tool's).
 */
public record TraceMessage(
    String role, String content, String reasoning, List<TraceToolCall> toolCalls, String toolCallId, String name) {

  public static final List<String> ROLES = List.of("system", "user", "assistant", "tool");

  public TraceMessage {
    if (!ROLES.contains(role)) {
      throw new IllegalArgumentException("unknown role '" + role + "'; roles are " + ROLES);
    }
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static TraceMessage system(String content) {
    return new TraceMessage("system", content, null, List.of(), null, null);
  }

  public static TraceMessage user(String content) {
    return new TraceMessage("user", content, null, List.of(), null, null);
  }

  public static TraceMessage assistant(String content, String reasoning, List<TraceToolCall> toolCalls) {
    return new TraceMessage("assistant", content, reasoning, toolCalls, null, null);
  }

  public static TraceMessage tool(String toolCallId, String name, String content) {
    return new TraceMessage("tool", content, null, List.of(), toolCallId, name);
  }
}
