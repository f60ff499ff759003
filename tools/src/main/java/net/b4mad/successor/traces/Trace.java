package net.b4mad.successor.traces;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.ToolCall;
import tools.jackson.databind.JsonNode;

/**
 * The canonical conversation record every importer produces: the messages, the tools that were offered (JSON
 * schemas in the OpenAI {@code {"type": "function", "function": {...}}} form) and metadata. {@code id} is the
 * content hash, so the same conversation imported twice is stored once.
 */
public record Trace(String id, List<TraceMessage> messages, List<JsonNode> tools, TraceMetadata metadata) {

  public Trace {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /** The training form (OpenAI/TRL {@code messages} + {@code tools}): ids and metadata are not part of it. */
  public Conversation toConversation() {
    List<ChatMessage> chat = new ArrayList<>();
    for (TraceMessage message : messages) {
      List<ToolCall> calls = message.toolCalls().stream().map(c -> new ToolCall(c.name(), c.arguments())).toList();
      chat.add(new ChatMessage(message.role(), message.content(), message.reasoning(), calls));
    }
    return new Conversation(chat, tools, false, true);
  }
}
