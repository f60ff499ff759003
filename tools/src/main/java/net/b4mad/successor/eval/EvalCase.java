package net.b4mad.successor.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import tools.jackson.databind.JsonNode;

/**
 * One case of an eval suite (a line of a suite file, examples/eval/README.md): the conversation the model
 * continues, the tools it is offered, what its answer must be, and optionally a reference answer that passes.
 *
 * @param description what the case checks, for a human reading a failure; may be null
 * @param tools the tool definitions as given (OpenAI form), kept as JSON so that the prompt shows them as written
 * @param gold the reference answer: one assistant message, or for an episode the assistant messages of a passing
 *     run in order; empty when the case has none. Never shown to the model.
 */
public record EvalCase(
    String id,
    String category,
    String description,
    List<ChatMessage> messages,
    List<JsonNode> tools,
    Expectation expectation,
    List<ChatMessage> gold,
    boolean enableThinking) {

  static final Set<String> FIELDS =
      Set.of("id", "category", "description", "messages", "tools", "expect", "gold", "enable_thinking");

  public EvalCase {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a case needs a non-empty 'id'");
    }
    if (category == null || category.isBlank()) {
      throw new IllegalArgumentException("case " + id + " needs a non-empty 'category'");
    }
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    gold = List.copyOf(gold);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("case " + id + " has no messages for the model to answer");
    }
    for (ChatMessage message : gold) {
      if (!message.role().equals(ChatMessage.ASSISTANT)) {
        throw new IllegalArgumentException("the gold answer of " + id + " must be assistant messages, not " + message.role());
      }
    }
    if (!(expectation instanceof Expectation.Episode) && gold.size() > 1) {
      throw new IllegalArgumentException("the gold answer of " + id + " is one assistant message; only an episode has more");
    }
  }

  /** What the model is asked: the messages and tools, ready for its next assistant turn. */
  public Conversation conversation() {
    return new Conversation(messages, tools, true, enableThinking);
  }

  /** Which assistant turn of this case CONVERSATION asks for: 0 for the first, 1 after one answer, and so on. */
  public int turnOf(Conversation conversation) {
    List<ChatMessage> all = conversation.messages();
    return (int) all.subList(Math.min(messages.size(), all.size()), all.size()).stream()
        .filter(m -> m.role().equals(ChatMessage.ASSISTANT))
        .count();
  }

  /** The names of the tools the case offers. */
  public Set<String> toolNames() {
    return toolNames(tools);
  }

  static Set<String> toolNames(List<JsonNode> tools) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode tool : tools) {
      JsonNode function = tool.has("function") ? tool.get("function") : tool;
      JsonNode name = function.get("name");
      if (name != null && name.isString()) {
        names.add(name.stringValue());
      }
    }
    return names;
  }

  /** Reads one suite line; a problem is an {@link IllegalArgumentException} that names the field. */
  public static EvalCase parse(JsonNode line) {
    if (!line.isObject()) {
      throw new IllegalArgumentException("a case must be a JSON object, got " + ToolCallChecker.show(line));
    }
    for (var field : line.properties()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new IllegalArgumentException(
            "unknown field '" + field.getKey() + "'; a case has " + FIELDS.stream().sorted().toList());
      }
    }
    String id = text(line, "id", true);
    List<JsonNode> tools = new ArrayList<>();
    JsonNode toolArray = line.get("tools");
    if (toolArray != null && !toolArray.isNull()) {
      if (!toolArray.isArray()) {
        throw new IllegalArgumentException("'tools' must be an array of tool definitions");
      }
      for (int i = 0; i < toolArray.size(); i++) {
        JsonNode tool = toolArray.get(i);
        JsonNode function = tool.has("function") ? tool.get("function") : tool;
        if (!tool.isObject() || function == null || !function.path("name").isString()) {
          throw new IllegalArgumentException(
              "tools[" + i + "] must be {\"type\": \"function\", \"function\": {\"name\", \"description\","
                  + " \"parameters\"}}, got " + ToolCallChecker.show(tool));
        }
        tools.add(tool);
      }
    }
    JsonNode messages = line.get("messages");
    if (messages == null || !messages.isArray()) {
      throw new IllegalArgumentException("'messages' must be an array of chat messages");
    }
    JsonNode thinking = line.get("enable_thinking");
    if (thinking != null && !thinking.isBoolean()) {
      throw new IllegalArgumentException("'enable_thinking' must be true or false");
    }
    String category = text(line, "category", true);
    String description = text(line, "description", false);
    List<ChatMessage> conversation = messages(messages, "messages");
    Expectation expectation = Expectation.parse(line.get("expect"), toolNames(tools));
    return new EvalCase(id, category, description, conversation, tools, expectation,
        gold(line.get("gold"), expectation), thinking != null && thinking.booleanValue());
  }

  private static List<ChatMessage> gold(JsonNode gold, Expectation expectation) {
    if (gold == null || gold.isNull()) {
      return List.of();
    }
    if (expectation instanceof Expectation.Episode) {
      if (!gold.isArray()) {
        throw new IllegalArgumentException("the 'gold' of an episode is the array of a passing run's assistant messages");
      }
      return messages(gold, "gold");
    }
    if (!gold.isObject()) {
      throw new IllegalArgumentException(
          "'gold' is one assistant message {\"role\": \"assistant\", \"content\", \"tool_calls\"}");
    }
    try {
      return List.of(ChatMessage.fromJson(gold));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("gold: " + e.getMessage(), e);
    }
  }

  private static List<ChatMessage> messages(JsonNode array, String field) {
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      try {
        messages.add(ChatMessage.fromJson(array.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return messages;
  }

  private static String text(JsonNode line, String field, boolean required) {
    JsonNode value = line.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("a case needs '" + field + "'");
      }
      return null;
    }
    if (!value.isString()) {
      throw new IllegalArgumentException("'" + field + "' must be text, got " + ToolCallChecker.show(value));
    }
    return value.stringValue();
  }
}
