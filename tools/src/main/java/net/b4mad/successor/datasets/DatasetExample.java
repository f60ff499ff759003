package net.b4mad.successor.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import net.b4mad.successor.chat.RenderedChat;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One line of {@code train.jsonl} / {@code eval.jsonl}: {@code {"id", "messages", "tools"}} in the OpenAI / TRL
 * tool-calling form that TRL's SFTTrainer and Axolotl's {@code chat_template} loader read as is. Tool calls are
 * {@code {"id", "type": "function", "function": {"name", "arguments": {...}}}} with arguments as a JSON object;
 * tool results are {@code {"role": "tool", "tool_call_id", "name", "content"}} where the id and name are known.
 *
 * <p>The messages stay JSON rather than {@link net.b4mad.successor.chat.ChatMessage}s because validation needs
 * what the template ignores (call ids, arguments that are not valid JSON, malformed messages) to report it.
 */
public record DatasetExample(String id, List<JsonNode> messages, List<JsonNode> tools) {

  /** Message fields that the form defines; others (e.g. OpenAI's {@code function_call: null}) are dropped. */
  private static final List<String> MESSAGE_FIELDS =
      List.of("role", "content", "reasoning_content", "tool_calls", "tool_call_id", "name");

  private static final ObjectReader STRICT =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public DatasetExample {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }

  /** A trace's conversation; the example keeps the trace's id so the dataset can be traced back to it. */
  public static DatasetExample fromTrace(Trace trace) {
    List<JsonNode> messages = new ArrayList<>();
    for (TraceMessage message : trace.messages()) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("role", message.role());
      node.put("content", message.content());
      if (message.reasoning() != null) {
        node.put("reasoning_content", message.reasoning());
      }
      if (!message.toolCalls().isEmpty()) {
        ArrayNode calls = node.putArray("tool_calls");
        for (TraceToolCall call : message.toolCalls()) {
          calls.add(toolCall(call.id(), call.name(), call.arguments()));
        }
      }
      if (message.toolCallId() != null) {
        node.put("tool_call_id", message.toolCallId());
      }
      if (message.role().equals("tool") && message.name() != null) {
        node.put("name", message.name());
      }
      messages.add(node);
    }
    return new DatasetExample(trace.id(), messages, trace.tools());
  }

  /**
   * Reads an example from JSON ({@code messages} required, {@code tools} optional, also as a JSON string the way
   * ShareGPT files store it). Shapes are normalised leniently (bare {@code {"name", "arguments"}} calls get
   * the function wrapper, arguments written as a JSON string become the object) and anything else is kept as
   * it came, so that {@link DatasetValidator} can report it.
   *
   * @param id the example's id; null to use the line's own {@code id}
   * @throws IllegalArgumentException when the value is not an object with a {@code messages} array
   */
  public static DatasetExample fromJson(JsonNode node, String id) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("an example must be a JSON object with 'messages', got " + describe(node));
    }
    JsonNode messageArray = node.get("messages");
    if (messageArray == null || !messageArray.isArray()) {
      throw new IllegalArgumentException(
          "an example needs a 'messages' array (OpenAI/TRL form), got " + describe(messageArray)
              + (node.has("conversations") ? "; this looks like ShareGPT: convert it to messages first" : ""));
    }
    List<JsonNode> messages = new ArrayList<>();
    messageArray.forEach(message -> messages.add(normaliseMessage(message)));
    List<JsonNode> tools = new ArrayList<>();
    JsonNode toolArray = node.get("tools");
    if (toolArray != null && toolArray.isString()) {
      toolArray = parseOrNull(toolArray.stringValue());
    }
    if (toolArray != null && toolArray.isArray()) {
      toolArray.forEach(tools::add);
    } else if (toolArray != null && !toolArray.isNull()) {
      throw new IllegalArgumentException("'tools' must be a JSON array of tool definitions, got " + describe(toolArray));
    }
    String exampleId = id;
    if (exampleId == null) {
      JsonNode own = node.get("id");
      exampleId = own != null && own.isString() ? own.stringValue() : null;
    }
    if (exampleId == null) {
      throw new IllegalArgumentException("an example read back from a dataset needs a string 'id'");
    }
    return new DatasetExample(exampleId, messages, tools);
  }

  /**
   * An example written by hand or by an agent, with the id {@code <prefix>-} and the first 16 hex digits of its
   * content hash: the same example added twice gets the same id.
   */
  public static DatasetExample withContentId(JsonNode node, String prefix) {
    DatasetExample parsed = fromJson(node, "");
    return new DatasetExample(contentId(prefix, parsed.messages(), parsed.tools()), parsed.messages(), parsed.tools());
  }

  static String contentId(String prefix, List<JsonNode> messages, List<JsonNode> tools) {
    return prefix + "-" + Json.contentHash(Map.of("messages", messages, "tools", tools)).substring(0, 16);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", id);
    node.putArray("messages").addAll(messages);
    node.putArray("tools").addAll(tools);
    return node;
  }

  /** The JSONL line (without the newline). */
  public String toJsonLine() {
    return Json.MAPPER.writeValueAsString(toJson());
  }

  /** The chat template's view of it. @throws IllegalArgumentException when a message is malformed */
  public Conversation conversation() {
    return Conversation.parse(toJson());
  }

  /** The prompt the model trains on, with the assistant spans that carry the loss. */
  public RenderedChat render() {
    return Qwen3ChatTemplate.render(conversation());
  }

  /** Every tool call with the index of its message, in order. */
  public List<Call> toolCalls() {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonNode toolCalls = messages.get(i).get("tool_calls");
      if (toolCalls == null || !toolCalls.isArray()) {
        continue;
      }
      for (int j = 0; j < toolCalls.size(); j++) {
        JsonNode call = toolCalls.get(j);
        JsonNode function = call.path("function").isObject() ? call.get("function") : call;
        JsonNode name = function.get("name");
        JsonNode callId = call.get("id");
        calls.add(
            new Call(
                i,
                j,
                callId != null && callId.isString() ? callId.stringValue() : null,
                name != null && name.isString() ? name.stringValue() : null,
                function.get("arguments")));
      }
    }
    return calls;
  }

  /** One tool call: where it is, its id and name (null when absent), and its arguments as written. */
  public record Call(int messageIndex, int callIndex, String id, String name, JsonNode arguments) {

    String location() {
      return "messages[" + messageIndex + "].tool_calls[" + callIndex + "]";
    }
  }

  private static JsonNode normaliseMessage(JsonNode message) {
    if (!message.isObject()) {
      return message;
    }
    ObjectNode copy = Json.MAPPER.createObjectNode();
    for (String field : MESSAGE_FIELDS) {
      JsonNode value = message.get(field);
      if (value == null || (value.isNull() && !field.equals("content"))) {
        continue;
      }
      if (field.equals("tool_calls") && value.isArray()) {
        ArrayNode calls = copy.putArray("tool_calls");
        value.forEach(call -> calls.add(normaliseCall(call)));
      } else {
        copy.set(field, value);
      }
    }
    return copy;
  }

  private static JsonNode normaliseCall(JsonNode call) {
    if (!call.isObject()) {
      return call;
    }
    JsonNode function = call.path("function").isObject() && !call.get("function").isEmpty() ? call.get("function") : call;
    JsonNode name = function.get("name");
    if (name == null || !name.isString() || !function.has("arguments")) {
      return call;
    }
    JsonNode id = call.get("id");
    return toolCall(id != null && id.isString() ? id.stringValue() : null, name.stringValue(), function.get("arguments"));
  }

  private static ObjectNode toolCall(String id, String name, JsonNode arguments) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (id != null) {
      node.put("id", id);
    }
    node.put("type", "function");
    ObjectNode function = node.putObject("function");
    function.put("name", name);
    function.set("arguments", normaliseArguments(arguments));
    return node;
  }

  /**
   * Arguments as a JSON object, the form TRL expects and the template renders with {@code tojson}. A string
   * that holds an object (the OpenAI wire form) becomes that object; any other string stays, for validation.
   */
  private static JsonNode normaliseArguments(JsonNode arguments) {
    if (arguments != null && arguments.isString()) {
      JsonNode parsed = parseOrNull(arguments.stringValue());
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    }
    return arguments;
  }

  /** The JSON in a string, or null when it is not exactly one JSON value. */
  static JsonNode parseOrNull(String text) {
    try {
      return STRICT.readTree(text);
    } catch (JacksonException e) {
      return null;
    }
  }

  static String describe(JsonNode node) {
    if (node == null) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " "
        + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
