package net.b4mad.successor.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.JsonLines;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * BFCL's single-turn categories as an eval suite: a question file ({@code BFCL_v4_*.json}, JSON lines of
 * {@code {"id", "question": [[messages]], "function": [docs]}}) and its {@code possible_answer} file
 * ({@code {"id", "ground_truth": [{"name": {"param": [acceptable values]}}]}}). The irrelevance categories have
 * no answers and expect no call.
 *
 * <p>The functions are offered as BFCL offers them to Qwen: its own documents (with {@code "type": "dict"} and
 * the Python-ish types, which {@link ToolCallChecker} understands), each description ending with BFCL's Python
 * hint, in the OpenAI {@code {"type": "function", "function": ...}} wrapper that Qwen3's template expects.
 */
public final class BfclSuite {

  /** What BFCL appends to every function description of its Python categories. */
  static final String PYTHON_HINT = " Note that the provided function is in Python 3 syntax.";

  /** BFCL's single-turn AST categories (v3 and v4 names) that this importer understands. */
  static final List<String> CATEGORIES = List.of("simple", "simple_python", "multiple", "parallel",
      "parallel_multiple", "irrelevance", "live_simple", "live_multiple", "live_parallel", "live_parallel_multiple",
      "live_irrelevance");

  private BfclSuite() {}

  /**
   * Reads BFCL questions and their possible answers into a suite named after the question file.
   *
   * @param answers the {@code possible_answer} file; may be null when the questions are all irrelevance ones
   * @throws IllegalArgumentException as {@code file:line: what is wrong}
   */
  public static EvalSuite read(Path questions, Path answers) {
    Map<String, JsonNode> groundTruth = new HashMap<>();
    if (answers != null) {
      JsonLines.read(answers, (record, location) -> {
        JsonNode id = record.get("id");
        JsonNode truth = record.get("ground_truth");
        if (id == null || !id.isString() || truth == null || !truth.isArray()) {
          throw new IllegalArgumentException("a possible answer is {\"id\", \"ground_truth\": [...]}");
        }
        return groundTruth.put(id.stringValue(), truth);
      });
    }
    List<EvalCase> cases = JsonLines.read(questions, (record, location) -> toCase(record, groundTruth, answers));
    String name = questions.getFileName().toString();
    return new EvalSuite(name.endsWith(".json") ? name.substring(0, name.length() - 5) : name, questions, cases);
  }

  /**
   * BFCL's category of a question id, the id without its index: {@code simple_python_12} is
   * {@code simple_python}, {@code live_simple_3-2-1} is {@code live_simple}.
   */
  public static String category(String id) {
    int last = id.lastIndexOf('_');
    if (last <= 0) {
      throw new IllegalArgumentException("'" + id + "' is not a BFCL id (category_index, e.g. simple_python_12)");
    }
    return id.substring(0, last);
  }

  private static EvalCase toCase(JsonNode question, Map<String, JsonNode> groundTruth, Path answers) {
    JsonNode idNode = question.get("id");
    if (idNode == null || !idNode.isString()) {
      throw new IllegalArgumentException("a BFCL question needs a string 'id'");
    }
    String id = idNode.stringValue();
    String category = category(id);
    if (!CATEGORIES.contains(category)) {
      throw new IllegalArgumentException("BFCL category '" + category + "' (of " + id + ") is not supported; the"
          + " single-turn Python categories are " + CATEGORIES + " (java and javascript need BFCL's type"
          + " converters, multi-turn ones its execution checker)");
    }
    JsonNode turns = question.get("question");
    if (turns == null || !turns.isArray() || turns.size() != 1 || !turns.get(0).isArray()) {
      throw new IllegalArgumentException(id + ": 'question' must hold exactly one turn, [[messages]]");
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode message : turns.get(0)) {
      messages.add(ChatMessage.fromJson(message));
    }
    JsonNode functions = question.get("function");
    if (functions == null || !functions.isArray()) {
      throw new IllegalArgumentException(id + ": 'function' must be an array of function documents");
    }
    List<JsonNode> tools = new ArrayList<>();
    for (JsonNode function : functions) {
      if (!function.isObject() || !function.path("name").isString()) {
        throw new IllegalArgumentException(id + ": a function document needs a 'name', got " + ToolCallChecker.show(function));
      }
      ObjectNode hinted = ((ObjectNode) function).deepCopy();
      hinted.put("description", function.path("description").asString("") + PYTHON_HINT);
      ObjectNode tool = Json.MAPPER.createObjectNode();
      tool.put("type", "function");
      tool.set("function", hinted);
      tools.add(tool);
    }
    Expectation expectation;
    if (category.endsWith("irrelevance")) {
      expectation = new Expectation.NoCall();
    } else {
      JsonNode truth = groundTruth.get(id);
      if (truth == null) {
        throw new IllegalArgumentException(
            answers == null ? id + " needs its possible answer: give the possible_answer file"
                : "no possible answer for " + id + " in " + answers);
      }
      expectation = Expectation.parse(expect(id, truth), EvalCase.toolNames(tools));
    }
    return new EvalCase(id, category, null, messages, tools, expectation, List.of(), false);
  }

  /** BFCL's {@code [{"name": {"param": [...]}}]} as the suite format's {@code {"tool_calls": [{"name", "arguments"}]}}. */
  private static JsonNode expect(String id, JsonNode truth) {
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode call : truth) {
      if (!call.isObject() || call.size() != 1) {
        throw new IllegalArgumentException(
            id + ": each ground truth call is {\"function name\": {arguments}}, got " + ToolCallChecker.show(call));
      }
      var only = call.properties().iterator().next();
      calls.addObject().put("name", only.getKey()).set("arguments", only.getValue());
    }
    ObjectNode expect = Json.MAPPER.createObjectNode();
    expect.set("tool_calls", calls);
    return expect;
  }
}
