package net.b4mad.successor.traces.importers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceToolCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages content blocks ({@code text}, {@code thinking}, {@code tool_use}, {@code tool_result},
 * {@code image}) in canonical messages; the Anthropic and the Claude Code importers share it, since Claude Code
 * sessions store the API's messages as they were.
 */
final class AnthropicContent {

  private AnthropicContent() {}

  /** The blocks of a {@code content} field: a string is one text block. */
  static List<JsonNode> blocks(JsonNode content) {
    List<JsonNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isString()) {
      ObjectNode text = Json.MAPPER.createObjectNode();
      text.put("type", "text");
      text.put("text", content.stringValue());
      blocks.add(text);
      return blocks;
    }
    if (!content.isArray()) {
      throw new IllegalArgumentException(
          "'content' must be a string or an array of blocks, got " + RecordFields.describe(content));
    }
    content.forEach(blocks::add);
    return blocks;
  }

  /**
   * A user turn: its tool results become {@code tool} messages, answering the calls by id (named from
   * {@code toolNames}), and its other blocks one {@code user} message after them. Empty when it holds nothing.
   */
  static List<TraceMessage> user(List<JsonNode> blocks, Map<String, String> toolNames) {
    List<TraceMessage> messages = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (JsonNode block : blocks) {
      String type = type(block);
      if (type.equals("tool_result")) {
        String id = RecordFields.optionalString(block, "tool_use_id");
        messages.add(TraceMessage.tool(id, id == null ? null : toolNames.get(id), resultText(block.get("content"))));
      } else {
        String text = text(block);
        if (text != null) {
          texts.add(text);
        }
      }
    }
    if (!texts.isEmpty()) {
      messages.add(TraceMessage.user(String.join("\n\n", texts)));
    }
    return messages;
  }

  /**
   * An assistant turn: text blocks are its content, thinking blocks its reasoning, tool_use blocks its calls
   * (recorded in {@code toolNames} so that the results can name them).
   */
  static TraceMessage assistant(List<JsonNode> blocks, Map<String, String> toolNames) {
    List<String> texts = new ArrayList<>();
    List<String> thoughts = new ArrayList<>();
    List<TraceToolCall> calls = new ArrayList<>();
    for (JsonNode block : blocks) {
      String type = type(block);
      switch (type) {
        case "thinking" -> {
          String thinking = RecordFields.optionalString(block, "thinking");
          if (thinking != null && !thinking.isEmpty()) {
            thoughts.add(thinking);
          }
        }
        case "redacted_thinking" -> {
          // Encrypted by the provider: nothing a model could learn from.
        }
        case "tool_use", "server_tool_use" -> {
          String id = RecordFields.optionalString(block, "id");
          String name = RecordFields.requiredString(block, "name");
          if (id != null) {
            toolNames.put(id, name);
          }
          calls.add(new TraceToolCall(id, name, RecordFields.arguments(block.get("input"))));
        }
        default -> {
          String text = text(block);
          if (text != null) {
            texts.add(text);
          }
        }
      }
    }
    return TraceMessage.assistant(
        texts.isEmpty() ? null : String.join("\n\n", texts),
        thoughts.isEmpty() ? null : String.join("\n\n", thoughts),
        calls);
  }

  /** A tool result's content: a string, or blocks whose texts are joined. */
  static String resultText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isString()) {
      return content.stringValue();
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode block : blocks(content)) {
      String text = text(block);
      if (text != null) {
        texts.add(text);
      }
    }
    return String.join("\n", texts);
  }

  /** A text block's text; a placeholder for media, which traces do not carry; null for blocks without text. */
  private static String text(JsonNode block) {
    String type = type(block);
    return switch (type) {
      case "text" -> RecordFields.requiredString(block, "text");
      case "image" -> "[image]";
      case "document" -> "[document]";
      default -> null;
    };
  }

  private static String type(JsonNode block) {
    RecordFields.requireObject(block, "a content block");
    return RecordFields.requiredString(block, "type");
  }
}
