package net.b4mad.successor.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The arguments of one tool call (already validated against the input schema) and its context. */
public record ToolCall(Map<String, Object> arguments, ToolContext context) {

  public ToolCall {
    arguments = arguments == null ? Map.of() : arguments;
  }

  public String string(String name, String fallback) {
    Object value = arguments.get(name);
    return value == null ? fallback : value.toString();
  }

  public boolean bool(String name, boolean fallback) {
    Object value = arguments.get(name);
    return value instanceof Boolean b ? b : fallback;
  }

  public long integer(String name, long fallback) {
    Object value = arguments.get(name);
    return value instanceof Number n ? n.longValue() : fallback;
  }

  public double number(String name, double fallback) {
    Object value = arguments.get(name);
    return value instanceof Number n ? n.doubleValue() : fallback;
  }

  /** An array argument's items as text; empty when it is absent. */
  public List<String> strings(String name) {
    List<String> strings = new ArrayList<>();
    if (arguments.get(name) instanceof List<?> list) {
      list.forEach(item -> strings.add(String.valueOf(item)));
    }
    return strings;
  }
}
