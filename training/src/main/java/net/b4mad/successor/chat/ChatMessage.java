package net.b4mad.successor.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One message of a conversation in the OpenAI / TRL form. {@code content} and {@code reasoningContent} may be
 * null (absent or JSON null); the template renders a null content as empty text but tells it apart from ""
 * when it looks for the last user query.
 */
public record ChatMessage(String role, String content, String reasoningContent, List<ToolCall> toolCalls) {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";
  public static final String TOOL = "tool";

  private static final Set<String> ROLES = Set.of(SYSTEM, USER, ASSISTANT, TOOL);

  public ChatMessage {
    if (role == null || !ROLES.contains(role)) {
      throw new IllegalArgumentException(
          "unknown role " + (role == null ? "null" : "'" + role + "'") + ": expected system, user, assistant or tool");
    }
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    // The template ignores these on other roles; refusing them keeps a converter bug from silently losing data.
    if (!role.equals(ASSISTANT) && !toolCalls.isEmpty()) {
      throw new IllegalArgumentException("only assistant messages may have tool_calls, this one is " + role);
    }
    if (!role.equals(ASSISTANT) && reasoningContent != null) {
      throw new IllegalArgumentException("only assistant messages may have reasoning_content, this one is " + role);
    }
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(SYSTEM, content, null, List.of());
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(USER, content, null, List.of());
  }

  public static ChatMessage assistant(String content, ToolCall... toolCalls) {
    return new ChatMessage(ASSISTANT, content, null, List.of(toolCalls));
  }

  public static ChatMessage tool(String content) {
    return new ChatMessage(TOOL, content, null, List.of());
  }

  /** Reads one message; fields the template does not use (tool_call_id, name, function_call) are ignored. */
  public static ChatMessage fromJson(JsonNode message) {
    if (!message.isObject()) {
      throw new IllegalArgumentException("a message must be a JSON object, got " + Conversation.describe(message));
    }
    JsonNode role = message.get("role");
    if (role == null || !role.isString()) {
      throw new IllegalArgumentException("a message needs a string 'role', got " + Conversation.describe(role));
    }
    String content = optionalString(message, "content");
    String reasoning = optionalString(message, "reasoning_content");
    JsonNode calls = message.get("tool_calls");
    List<ToolCall> toolCalls = new ArrayList<>();
    if (calls != null && !calls.isNull()) {
      if (!calls.isArray()) {
        throw new IllegalArgumentException("'tool_calls' must be a JSON array, got " + Conversation.describe(calls));
      }
      for (int i = 0; i < calls.size(); i++) {
        try {
          toolCalls.add(ToolCall.fromJson(calls.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("tool_calls[" + i + "]: " + e.getMessage(), e);
        }
      }
    }
    return new ChatMessage(role.stringValue(), content, reasoning, toolCalls);
  }

  /**
   * The OpenAI / TRL form that {@link #fromJson} reads: {@code content} (null kept), {@code reasoning_content} when
   * there is one, and tool calls as {@code {"type": "function", "function": {"name", "arguments"}}}.
   */
  public ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("role", role);
    json.put("content", content);
    if (reasoningContent != null) {
      json.put("reasoning_content", reasoningContent);
    }
    if (!toolCalls.isEmpty()) {
      ArrayNode calls = json.putArray("tool_calls");
      for (ToolCall call : toolCalls) {
        ObjectNode function = calls.addObject().put("type", "function").putObject("function");
        function.put("name", call.name());
        function.set("arguments", call.arguments());
      }
    }
    return json;
  }

  private static String optionalString(JsonNode message, String field) {
    JsonNode value = message.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      // Content parts (an array of {type, text}) would render as empty text in the Qwen3 template.
      throw new IllegalArgumentException(
          "'" + field + "' must be a string or null, got " + Conversation.describe(value)
              + (value.isArray() ? " (content parts are not supported: join them into one string)" : ""));
    }
    return value.stringValue();
  }
}
