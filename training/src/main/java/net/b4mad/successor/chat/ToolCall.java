package net.b4mad.successor.chat;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One function call of an assistant turn. {@code arguments} is kept as the JSON it came in so that key order and
 * number spelling survive: a JSON object (or any other JSON value) is rendered with {@code tojson}, while a JSON
 * string (the OpenAI wire form, arguments already serialised) is inserted into the prompt as is.
 */
public record ToolCall(String name, JsonNode arguments) {

  public ToolCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }

  /** Reads {@code {"function": {"name", "arguments"}}} (OpenAI, TRL) or the bare {@code {"name", "arguments"}}. */
  static ToolCall fromJson(JsonNode call) {
    if (!call.isObject()) {
      throw new IllegalArgumentException("a tool call must be a JSON object, got " + Conversation.describe(call));
    }
    JsonNode function = call.get("function");
    if (function != null && !function.isNull()) {
      if (!function.isObject()) {
        throw new IllegalArgumentException("'function' must be a JSON object, got " + Conversation.describe(function));
      }
      // The template takes tool_call.function when it is truthy, i.e. a non-empty object.
      if (!function.isEmpty()) {
        call = function;
      }
    }
    JsonNode name = call.get("name");
    if (name == null || !name.isString()) {
      throw new IllegalArgumentException("a tool call needs a string 'name', got " + Conversation.describe(name));
    }
    JsonNode arguments = call.get("arguments");
    if (arguments == null) {
      throw new IllegalArgumentException("tool call '" + name.stringValue() + "' has no 'arguments'");
    }
    return new ToolCall(name.stringValue(), arguments);
  }
}
