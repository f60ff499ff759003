package net.b4mad.successor.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.datasets.DatasetExample;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Eval cases from a dataset's held-out examples: every assistant turn of an example becomes a case that gives the
 * model the conversation up to that turn and expects what the trace's assistant did there, the same tool calls
 * with exactly the same argument values, or an answer without a call. Examples that offer no tools (Claude Code
 * sessions store none) make no cases: a case may only expect calls to tools it offers.
 */
final class HeldOutCases {

  /** The demo's tools by family, for the report's categories; any other tool is its own category. */
  private static final Map<String, String> CATEGORIES = Map.ofEntries(
      Map.entry("bead_create", "beads"), Map.entry("bead_update", "beads"), Map.entry("bead_close", "beads"),
      Map.entry("bead_show", "beads"), Map.entry("run_command", "shell"), Map.entry("delegate_task", "delegation"),
      Map.entry("traces_import", "successor"), Map.entry("dataset_build", "successor"),
      Map.entry("train_sft", "successor"), Map.entry("job_status", "successor"), Map.entry("eval_run", "successor"),
      Map.entry("search_papers", "office"), Map.entry("get_weather", "office"),
      Map.entry("calendar_create_event", "office"), Map.entry("travel_search", "office"));

  static final String ANSWER = "answer";

  private HeldOutCases() {}

  /** The suite lines, one JSON object per case, in the order of the examples and their turns. */
  static List<ObjectNode> of(List<DatasetExample> examples) {
    List<ObjectNode> cases = new ArrayList<>();
    for (DatasetExample example : examples) {
      if (example.tools().isEmpty()) {
        continue;
      }
      List<JsonNode> messages = example.messages();
      for (int turn = 0; turn < messages.size(); turn++) {
        JsonNode message = messages.get(turn);
        if (message.path("role").asString("").equals("assistant")) {
          cases.add(turnCase(example, turn));
        }
      }
    }
    return cases;
  }

  private static ObjectNode turnCase(DatasetExample example, int turn) {
    JsonNode answer = example.messages().get(turn);
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("id", example.id() + "/" + turn);
    ArrayNode context = line.putArray("messages");
    example.messages().subList(0, turn).forEach(context::add);
    line.set("tools", Json.MAPPER.valueToTree(example.tools()));
    ObjectNode expect = line.putObject("expect");
    JsonNode calls = answer.path("tool_calls");
    String category = ANSWER;
    if (calls.isArray() && !calls.isEmpty()) {
      ArrayNode expected = expect.putArray("tool_calls");
      for (JsonNode call : calls) {
        String name = call.path("function").path("name").asString();
        ObjectNode arguments = Json.MAPPER.createObjectNode();
        call.path("function").path("arguments").properties()
            .forEach(argument -> arguments.putArray(argument.getKey()).add(argument.getValue()));
        expected.addObject().put("name", name).set("arguments", arguments);
        category = CATEGORIES.getOrDefault(name, name);
      }
    } else {
      expect.put("no_call", true);
    }
    line.put("category", category);
    line.set("gold", answer);
    // Qwen3's template gives a trained conversation's tool-calling turns no think block, while the generation
    // prompt with thinking off adds an empty one; with thinking on, the prompt is the one the turns were trained
    // after, and the model writes the empty block itself before an answer, as it learned to.
    line.put("enable_thinking", true);
    return line;
  }
}
