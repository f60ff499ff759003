package net.b4mad.successor.traces.importers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceToolCall;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI chat conversations, {@code {"messages": [...], "tools": [...]}}, as chat completion requests and the
 * fine-tuning JSONL hold them: assistant {@code tool_calls} whose {@code function.arguments} is a JSON string,
 * {@code role: tool} results with the {@code tool_call_id} they answer. Also read: content as an array of parts,
 * {@code reasoning_content}, the {@code developer} role, the legacy {@code function_call} / {@code functions},
 * and tool calls in the canonical form {@code {id, name, arguments}}, so one reader takes both forms.
 */
public final class OpenAiChatImporter extends ConversationRecordImporter {

  @Override
  public String format() {
    return "openai";
  }

  @Override
  public String describe() {
    return "OpenAI chat: {\"messages\": [{role, content, tool_calls}], \"tools\": [{type: function, function}]}";
  }

  @Override
  public boolean recognises(JsonNode record) {
    return record.isObject() && record.path("messages").isArray();
  }

  @Override
  Trace convert(JsonNode record, TraceMetadata metadata) {
    RecordFields.requireObject(record, "a conversation");
    JsonNode messages = RecordFields.requiredArray(record, "messages");
    List<JsonNode> tools = new ArrayList<>();
    RecordFields.optionalArray(record, "tools").forEach(tools::add);
    // The legacy form: bare function schemas.
    RecordFields.optionalArray(record, "functions").forEach(f -> tools.add(functionTool(f)));
    return new Trace(null, messages(messages), tools, metadata);
  }

  /** The messages of an OpenAI (or canonical) {@code messages} array; errors name the message index. */
  public static List<TraceMessage> messages(JsonNode array) {
    if (array.isEmpty()) {
      throw new IllegalArgumentException("'messages' is empty");
    }
    Map<String, String> toolNames = new HashMap<>();
    List<String> unanswered = new ArrayList<>();
    List<TraceMessage> messages = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      try {
        messages.add(message(array.get(i), i, toolNames, unanswered));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage(), e);
      }
    }
    return messages;
  }

  private static TraceMessage message(
      JsonNode message, int index, Map<String, String> toolNames, List<String> unanswered) {
    RecordFields.requireObject(message, "a message");
    String role = RecordFields.requiredString(message, "role");
    String content = content(message.get("content"));
    switch (role) {
      case "system", "developer" -> {
        return TraceMessage.system(content);
      }
      case "user" -> {
        return TraceMessage.user(content);
      }
      case "assistant" -> {
        String reasoning = RecordFields.optionalString(message, "reasoning_content");
        if (reasoning == null) {
          reasoning = RecordFields.optionalString(message, "reasoning");
        }
        List<TraceToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = RecordFields.optionalArray(message, "tool_calls");
        for (int j = 0; j < toolCalls.size(); j++) {
          try {
            calls.add(toolCall(toolCalls.get(j), "call_" + index + "_" + j));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tool_calls[" + j + "]: " + e.getMessage(), e);
          }
        }
        JsonNode legacy = message.get("function_call");
        if (legacy != null && !legacy.isNull()) {
          calls.add(toolCall(legacy, "call_" + index + "_" + toolCalls.size()));
        }
        unanswered.clear();
        for (TraceToolCall call : calls) {
          toolNames.put(call.id(), call.name());
          unanswered.add(call.id());
        }
        return TraceMessage.assistant(content, reasoning, calls);
      }
      case "tool", "function" -> {
        String id = RecordFields.optionalString(message, "tool_call_id");
        if (id == null && !unanswered.isEmpty()) {
          // The legacy function role answers the call before it, which has no id of its own.
          id = unanswered.get(0);
        }
        unanswered.remove(id);
        String name = RecordFields.optionalString(message, "name");
        return TraceMessage.tool(id, name != null ? name : toolNames.get(id), content == null ? "" : content);
      }
      default -> throw new IllegalArgumentException(
          "unknown role '" + role + "': expected system, developer, user, assistant, tool or function");
    }
  }

  /** {@code {id, type, function: {name, arguments}}}, the legacy {@code {name, arguments}}, or canonical. */
  private static TraceToolCall toolCall(JsonNode call, String generatedId) {
    RecordFields.requireObject(call, "a tool call");
    String id = RecordFields.optionalString(call, "id");
    JsonNode function = call.get("function");
    JsonNode named = function != null && function.isObject() ? function : call;
    String name = RecordFields.requiredString(named, "name");
    return new TraceToolCall(id == null ? generatedId : id, name, RecordFields.arguments(named.get("arguments")));
  }

  /** A string, null, or an array of parts ({@code {"type": "text", "text": ...}}) whose texts are joined. */
  static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return null;
    }
    if (content.isString()) {
      return content.stringValue();
    }
    if (!content.isArray()) {
      throw new IllegalArgumentException(
          "'content' must be a string, null or an array of parts, got " + RecordFields.describe(content));
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode part : content) {
      if (part.isString()) {
        texts.add(part.stringValue());
        continue;
      }
      RecordFields.requireObject(part, "a content part");
      String type = RecordFields.optionalString(part, "type");
      if (type == null || type.equals("text") || type.equals("input_text") || type.equals("output_text")) {
        texts.add(RecordFields.requiredString(part, "text"));
      } else if (type.equals("refusal")) {
        texts.add(RecordFields.requiredString(part, "refusal"));
      } else if (type.startsWith("image") || type.equals("input_image")) {
        texts.add("[image]");
      } else if (type.equals("input_audio")) {
        texts.add("[audio]");
      } else {
        texts.add("[" + type + "]");
      }
    }
    return String.join("\n", texts);
  }

  /**
   * A tool in the OpenAI function form, the canonical one: kept when it is already, wrapped when it is a bare
   * schema ({@code name}, {@code description}, {@code parameters}, or Anthropic's {@code input_schema}).
   */
  public static JsonNode functionTool(JsonNode tool) {
    RecordFields.requireObject(tool, "a tool");
    if (tool.has("function")) {
      return tool;
    }
    ObjectNode function = Json.MAPPER.createObjectNode();
    function.put("name", RecordFields.requiredString(tool, "name"));
    String description = RecordFields.optionalString(tool, "description");
    if (description != null) {
      function.put("description", description);
    }
    JsonNode schema = tool.has("input_schema") ? tool.get("input_schema") : tool.get("parameters");
    if (schema != null && !schema.isNull()) {
      function.set("parameters", schema);
    }
    ObjectNode wrapped = Json.MAPPER.createObjectNode();
    wrapped.put("type", "function");
    wrapped.set("function", function);
    return wrapped;
  }
}
