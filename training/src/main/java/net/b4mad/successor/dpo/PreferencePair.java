package net.b4mad.successor.dpo;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.train.ChatEncoder;
import net.b4mad.successor.train.TrainingSequence;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One preference: a prompt (messages and tools) and two assistant answers, the chosen and the rejected, in TRL's
 * conversational form: {@code {"prompt": [...], "tools": [...], "chosen": [...], "rejected": [...]}}, where
 * each answer is a list of messages ending with an assistant message, or one assistant message object. Answers
 * keep their tool calls: they are rendered into the completion the model is scored on.
 */
public record PreferencePair(String id, Conversation chosen, Conversation rejected) {

  public static PreferencePair parse(JsonNode record, String location) {
    String id = record.path("id").asString(location);
    JsonNode prompt = record.get("prompt");
    if (prompt == null || !prompt.isArray()) {
      throw new IllegalArgumentException(
          "'prompt' must be a list of messages (TRL's conversational form); a plain-text prompt can be written as"
              + " [{\"role\": \"user\", \"content\": \"...\"}]");
    }
    return new PreferencePair(
        id, conversation(record, prompt, "chosen"), conversation(record, prompt, "rejected"));
  }

  private static Conversation conversation(JsonNode record, JsonNode prompt, String answer) {
    JsonNode completion = record.get(answer);
    ArrayNode messages = Json.MAPPER.createArrayNode();
    prompt.forEach(messages::add);
    if (completion != null && completion.isObject()) {
      messages.add(completion);
    } else if (completion != null && completion.isArray() && !completion.isEmpty()) {
      completion.forEach(messages::add);
    } else {
      throw new IllegalArgumentException("'" + answer + "' must be an assistant message or a non-empty list of messages");
    }
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.set("messages", messages);
    if (record.has("tools")) {
      json.set("tools", record.get("tools"));
    }
    Conversation conversation;
    try {
      conversation = Conversation.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(answer + ": " + e.getMessage(), e);
    }
    List<ChatMessage> all = new ArrayList<>(conversation.messages());
    if (all.isEmpty() || !all.get(all.size() - 1).role().equals(ChatMessage.ASSISTANT)) {
      throw new IllegalArgumentException("'" + answer + "' must end with an assistant message");
    }
    return conversation;
  }

  /** The chosen and rejected sequences, each trained (scored) on its final assistant message only. */
  public TrainingSequence[] encode(ChatEncoder encoder) {
    return new TrainingSequence[] {
      encoder.encodeCompletion(id + "/chosen", chosen), encoder.encodeCompletion(id + "/rejected", rejected)
    };
  }
}
