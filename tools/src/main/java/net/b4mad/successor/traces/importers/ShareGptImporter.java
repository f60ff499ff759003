package net.b4mad.successor.traces.importers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * ShareGPT conversations as LLaMA-Factory's tool-calling data holds them: {@code conversations} of
 * {@code {from, value}} turns ({@code human}, {@code gpt}, {@code function_call}, {@code observation},
 * {@code system}), an optional top-level {@code system}, and {@code tools} as a JSON string. A
 * {@code function_call} value is {@code {"name", "arguments"}} JSON (or a list of them, for parallel calls); the
 * calls get ids {@code call_0}, {@code call_1}, ... in order, and each observation answers the oldest
 * unanswered call, so results pair with calls as in the other formats.
 */
public final class ShareGptImporter extends ConversationRecordImporter {

  @Override
  public String format() {
    return "sharegpt";
  }

  @Override
  public String describe() {
    return "ShareGPT (LLaMA-Factory): {\"conversations\": [{from: human|gpt|function_call|observation|system,"
        + " value}], \"tools\": \"[...]\"}";
  }

  @Override
  public boolean recognises(JsonNode record) {
    JsonNode turns = record.path("conversations");
    return record.isObject() && turns.isArray() && (turns.isEmpty() || turns.get(0).has("from"));
  }

  @Override
  Trace convert(JsonNode record, TraceMetadata metadata) {
    RecordFields.requireObject(record, "a conversation");
    List<TraceMessage> messages = new ArrayList<>();
    String system = RecordFields.optionalString(record, "system");
    if (system != null && !system.isEmpty()) {
      messages.add(TraceMessage.system(system));
    }
    JsonNode turns = RecordFields.requiredArray(record, "conversations");
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("'conversations' is empty");
    }
    Deque<TraceToolCall> unanswered = new ArrayDeque<>();
    int calls = 0;
    for (int i = 0; i < turns.size(); i++) {
      JsonNode turn = turns.get(i);
      try {
        RecordFields.requireObject(turn, "a turn");
        String from = RecordFields.requiredString(turn, "from");
        String value = RecordFields.optionalString(turn, "value");
        switch (from) {
          case "system" -> messages.add(TraceMessage.system(value));
          case "human", "user" -> messages.add(TraceMessage.user(value));
          case "gpt", "assistant", "bot", "model" -> messages.add(TraceMessage.assistant(value, null, List.of()));
          case "function_call" -> {
            List<TraceToolCall> made = new ArrayList<>();
            for (JsonNode call : functionCalls(value)) {
              TraceToolCall toolCall =
                  new TraceToolCall(
                      "call_" + calls++,
                      RecordFields.requiredString(call, "name"),
                      RecordFields.arguments(call.get("arguments")));
              made.add(toolCall);
              unanswered.add(toolCall);
            }
            messages.add(TraceMessage.assistant(null, null, made));
          }
          case "observation", "tool", "function" -> {
            TraceToolCall answered = unanswered.poll();
            messages.add(
                TraceMessage.tool(
                    answered == null ? null : answered.id(), answered == null ? null : answered.name(), value));
          }
          default -> throw new IllegalArgumentException(
              "unknown 'from' value '" + from + "': expected human, gpt, function_call, observation or system");
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("conversations[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new Trace(null, messages, tools(record.get("tools")), metadata);
  }

  private static List<JsonNode> functionCalls(String value) {
    if (value == null) {
      throw new IllegalArgumentException("a function_call turn needs a value");
    }
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(value);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("a function_call value must be {\"name\", \"arguments\"} JSON: "
          + e.getOriginalMessage(), e);
    }
    List<JsonNode> calls = new ArrayList<>();
    if (parsed.isArray()) {
      parsed.forEach(calls::add);
    } else {
      calls.add(parsed);
    }
    for (JsonNode call : calls) {
      RecordFields.requireObject(call, "a function_call value");
    }
    return calls;
  }

  /** {@code tools}: a JSON string (LLaMA-Factory) or an array, of bare function schemas or the OpenAI form. */
  private static List<JsonNode> tools(JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return List.of();
    }
    JsonNode array = tools;
    if (tools.isString()) {
      if (tools.stringValue().isBlank()) {
        return List.of();
      }
      try {
        array = Json.MAPPER.readTree(tools.stringValue());
      } catch (JacksonException e) {
        throw new IllegalArgumentException("'tools' must be a JSON array (or one as a string): "
            + e.getOriginalMessage(), e);
      }
    }
    if (!array.isArray()) {
      throw new IllegalArgumentException("'tools' must be a JSON array, got " + RecordFields.describe(array));
    }
    List<JsonNode> converted = new ArrayList<>();
    array.forEach(tool -> converted.add(OpenAiChatImporter.functionTool(tool)));
    return converted;
  }
}
