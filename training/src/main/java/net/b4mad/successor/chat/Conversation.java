package net.b4mad.successor.chat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * What the chat template renders: the messages, the tool definitions (arbitrary JSON, kept as given so that key
 * order survives into the prompt), and the two switches of {@code apply_chat_template}. Thinking is on unless
 * {@code enable_thinking} is explicitly false, as in the template.
 */
public record Conversation(
    List<ChatMessage> messages, List<JsonNode> tools, boolean addGenerationPrompt, boolean enableThinking) {

  public Conversation {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }

  public static Conversation of(List<ChatMessage> messages) {
    return new Conversation(messages, List.of(), false, true);
  }

  /** Reads the JSON form {@code {"messages": [...], "tools": [...], "add_generation_prompt", "enable_thinking"}}. */
  public static Conversation read(Path file) {
    JsonNode json = Json.readTree(file);
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a conversation; a malformed message is reported with its index, as in {@code messages[3]: ...}. */
  public static Conversation parse(JsonNode conversation) {
    if (!conversation.isObject()) {
      throw new IllegalArgumentException("a conversation must be a JSON object, got " + describe(conversation));
    }
    JsonNode messageArray = conversation.get("messages");
    if (messageArray == null || !messageArray.isArray()) {
      throw new IllegalArgumentException("'messages' must be a JSON array, got " + describe(messageArray));
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < messageArray.size(); i++) {
      try {
        messages.add(ChatMessage.fromJson(messageArray.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage(), e);
      }
    }
    List<JsonNode> tools = new ArrayList<>();
    JsonNode toolArray = conversation.get("tools");
    if (toolArray != null && !toolArray.isNull()) {
      if (!toolArray.isArray()) {
        throw new IllegalArgumentException("'tools' must be a JSON array, got " + describe(toolArray));
      }
      toolArray.forEach(tools::add);
    }
    return new Conversation(
        messages,
        tools,
        optionalBoolean(conversation, "add_generation_prompt", false),
        optionalBoolean(conversation, "enable_thinking", true));
  }

  private static boolean optionalBoolean(JsonNode conversation, String field, boolean absent) {
    JsonNode value = conversation.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("'" + field + "' must be true or false, got " + describe(value));
    }
    return value.booleanValue();
  }

  /** A JSON value for an error message: its type and the start of its text. */
  static String describe(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
