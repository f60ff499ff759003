package net.b4mad.successor.traces.importers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic Messages conversations: {@code {"system"?, "messages": [{role, content}], "tools"?}} where content
 * is a string or blocks, assistant {@code tool_use} blocks call tools and user {@code tool_result} blocks answer
 * them. Tools ({@code name}, {@code description}, {@code input_schema}) become the OpenAI function form.
 */
public final class AnthropicMessagesImporter extends ConversationRecordImporter {

  /** Blocks that only Anthropic content has; OpenAI content parts share {@code text} and little else. */
  private static final Set<String> ANTHROPIC_BLOCKS =
      Set.of("tool_use", "tool_result", "thinking", "redacted_thinking", "server_tool_use", "document");

  @Override
  public String format() {
    return "anthropic";
  }

  @Override
  public String describe() {
    return "Anthropic Messages: {\"system\", \"messages\": [{role, content: string | blocks (text, tool_use,"
        + " tool_result)}], \"tools\": [{name, description, input_schema}]}";
  }

  @Override
  public boolean recognises(JsonNode record) {
    if (!record.isObject() || !record.path("messages").isArray()) {
      return false;
    }
    if (record.has("system")) {
      return true;
    }
    for (JsonNode tool : record.path("tools")) {
      if (tool.has("input_schema")) {
        return true;
      }
    }
    for (JsonNode message : record.path("messages")) {
      for (JsonNode block : message.path("content")) {
        if (ANTHROPIC_BLOCKS.contains(block.path("type").asString(""))) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  Trace convert(JsonNode record, TraceMetadata metadata) {
    RecordFields.requireObject(record, "a conversation");
    List<TraceMessage> messages = new ArrayList<>();
    JsonNode system = record.get("system");
    if (system != null && !system.isNull()) {
      // A string, or text blocks (with cache_control): the system prompt either way.
      messages.add(TraceMessage.system(AnthropicContent.resultText(system)));
    }
    JsonNode array = RecordFields.requiredArray(record, "messages");
    if (array.isEmpty()) {
      throw new IllegalArgumentException("'messages' is empty");
    }
    Map<String, String> toolNames = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode message = array.get(i);
      try {
        RecordFields.requireObject(message, "a message");
        String role = RecordFields.requiredString(message, "role");
        List<JsonNode> blocks = AnthropicContent.blocks(message.get("content"));
        switch (role) {
          case "user" -> messages.addAll(AnthropicContent.user(blocks, toolNames));
          case "assistant" -> messages.add(AnthropicContent.assistant(blocks, toolNames));
          default -> throw new IllegalArgumentException(
              "unknown role '" + role + "': Anthropic messages are user or assistant (the system prompt is the"
                  + " top-level 'system')");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage(), e);
      }
    }
    List<JsonNode> tools = new ArrayList<>();
    RecordFields.optionalArray(record, "tools").forEach(tool -> tools.add(OpenAiChatImporter.functionTool(tool)));
    return new Trace(null, messages, tools, metadata);
  }
}
