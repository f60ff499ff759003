package net.b4mad.successor.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.ToolCall;
import net.b4mad.successor.datasets.DatasetExample;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.json.JsonLines;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dataset examples as eval cases, so that a dataset's held-out split (or any file of {@code {messages, tools}})
 * can be evaluated and sampled like a suite. Every assistant turn that answers a user or tool message becomes a
 * case: its messages are the conversation before that turn, its gold answer is the turn, and its expectation is
 * the turn itself. A turn with tool calls expects exactly those calls, each argument with the one value the
 * example gave (so an argument the example left out may not be added; one it gave as {@code ""} or null may be
 * left out, the checker's optional marker); a turn of text only expects no call.
 * The category of such a case is the tool its first call names, or {@code no_call}: a report then says which
 * tools the model calls right.
 */
public final class DatasetCases {

  /**
   * The cases of some examples, and the turns that could not become one, each with why (e.g. a tool call whose
   * arguments are not a JSON object): examples written by hand are not always as a build leaves them.
   */
  public record Conversion(List<EvalCase> cases, List<String> skipped) {

    public Conversion {
      cases = List.copyOf(cases);
      skipped = List.copyOf(skipped);
    }

    public EvalSuite suite(String name) {
      return new EvalSuite(name, null, cases);
    }
  }

  private DatasetCases() {}

  /** A JSONL file of examples (a dataset version's split, or one of the user's); lines without an id get line-N. */
  public static List<DatasetExample> read(Path file) {
    return JsonLines.read(file, (line, location) -> DatasetExample.fromJson(
        line, line.path("id").isString() ? null : "line-" + location.substring(location.lastIndexOf(':') + 1)));
  }

  public static Conversion convert(List<DatasetExample> examples) {
    List<EvalCase> cases = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (DatasetExample example : examples) {
      List<ChatMessage> messages = new ArrayList<>();
      try {
        for (JsonNode message : example.messages()) {
          messages.add(ChatMessage.fromJson(message));
        }
      } catch (IllegalArgumentException e) {
        skipped.add(example.id() + ": " + e.getMessage());
        continue;
      }
      int turn = 0;
      for (int i = 1; i < messages.size(); i++) {
        String before = messages.get(i - 1).role();
        if (!messages.get(i).role().equals(ChatMessage.ASSISTANT)
            || !(before.equals(ChatMessage.USER) || before.equals(ChatMessage.TOOL))) {
          continue;
        }
        String id = example.id() + "/" + turn++;
        try {
          cases.add(turnCase(id, messages.subList(0, i), example, messages.get(i)));
        } catch (IllegalArgumentException e) {
          skipped.add(id + ": " + e.getMessage());
        }
      }
    }
    return new Conversion(cases, skipped);
  }

  private static EvalCase turnCase(String id, List<ChatMessage> before, DatasetExample example, ChatMessage answer) {
    Expectation expectation;
    String category;
    if (answer.toolCalls().isEmpty()) {
      expectation = new Expectation.NoCall();
      category = expectation.kind();
    } else {
      category = answer.toolCalls().get(0).name();
      List<Expectation.ExpectedCall> calls = new ArrayList<>();
      for (ToolCall call : answer.toolCalls()) {
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        ToolCallChecker.arguments(call).properties()
            .forEach(argument -> arguments.set(argument.getKey(), Json.MAPPER.createArrayNode().add(exact(argument.getValue()))));
        calls.add(new Expectation.ExpectedCall(call.name(), arguments));
      }
      expectation = new Expectation.ToolCalls(calls);
    }
    // Thinking on: Qwen3's template gives a conversation's tool-calling turns no think block and its last answer an
    // empty one, so a model trained on such examples writes what it learned after a bare assistant header; thinking
    // off would prefill an empty block that the tool-calling turns never had.
    return new EvalCase(id, category, "assistant turn " + id.substring(id.lastIndexOf('/') + 1)
        + " of example " + example.id(), before, example.tools(), expectation, List.of(answer), true);
  }

  /**
   * VALUE as the checker's acceptable value that only VALUE matches: an object's fields each become a list of one
   * acceptable value, as the suite format writes nested objects; arrays are compared element by element.
   */
  private static JsonNode exact(JsonNode value) {
    if (value.isObject()) {
      ObjectNode fields = Json.MAPPER.createObjectNode();
      value.properties().forEach(field -> fields.set(field.getKey(), Json.MAPPER.createArrayNode().add(exact(field.getValue()))));
      return fields;
    }
    if (value.isArray()) {
      ArrayNode items = Json.MAPPER.createArrayNode();
      value.forEach(item -> items.add(exact(item)));
      return items;
    }
    return value;
  }
}
