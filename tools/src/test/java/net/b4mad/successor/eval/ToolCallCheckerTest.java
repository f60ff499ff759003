package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.ToolCall;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The AST check, rule by rule, on hand-written calls. */
class ToolCallCheckerTest {

  private static final String BEAD_CLOSE =
      """
      {"type": "function", "function": {"name": "bead_close", "parameters": {"type": "object",
        "properties": {"id": {"type": "string"}, "reason": {"type": "string"}}, "required": ["id"]}}}""";

  /** A BFCL function document, with its Python-ish types. */
  private static final String TRIANGLE =
      """
      {"type": "function", "function": {"name": "triangle.area", "parameters": {"type": "dict", "properties": {
        "base": {"type": "integer"}, "height": {"type": "float"}, "unit": {"type": "string"},
        "corner": {"type": "tuple", "items": {"type": "float"}},
        "style": {"type": "dict", "properties": {"color": {"type": "string"}, "width": {"type": "integer"}}},
        "data": {"type": "any"}, "exact": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}}}, "required": ["base", "height"]}}}""";

  private static ToolCallChecker.Result check(String calls, String expected, String... tools) {
    List<ToolCall> made = new ArrayList<>();
    for (JsonNode call : Json.MAPPER.readTree(calls)) {
      made.add(new ToolCall(call.get("name").stringValue(), call.get("arguments")));
    }
    List<Expectation.ExpectedCall> wanted = new ArrayList<>();
    for (JsonNode call : Json.MAPPER.readTree(expected)) {
      wanted.add(new Expectation.ExpectedCall(call.get("name").stringValue(), (ObjectNode) call.get("arguments")));
    }
    List<JsonNode> definitions = new ArrayList<>();
    for (String tool : tools) {
      definitions.add(Json.MAPPER.readTree(tool));
    }
    return ToolCallChecker.check(made, wanted, definitions);
  }

  private static void passes(String calls, String expected, String... tools) {
    ToolCallChecker.Result result = check(calls, expected, tools);
    assertTrue(result.passed(), result.error());
    assertTrue(result.toolSelection());
    assertNull(result.error());
  }

  private static void failsWith(String error, String calls, String expected, String... tools) {
    ToolCallChecker.Result result = check(calls, expected, tools);
    assertFalse(result.passed(), calls);
    assertEquals(error, result.error());
  }

  private static final String CLOSE_EXPECTED =
      """
      [{"name": "bead_close", "arguments": {"id": ["b4-9"], "reason": ["duplicate of b4-7", "duplicate"]}}]""";

  @Test
  void theExactFunctionNameIsNeeded() {
    ToolCallChecker.Result result = check("""
        [{"name": "Bead_close", "arguments": {"id": "b4-9"}}]""", CLOSE_EXPECTED, BEAD_CLOSE);
    assertFalse(result.toolSelection());
    assertEquals("missing a call to bead_close; an unexpected call to Bead_close (expected [bead_close], got"
        + " [Bead_close])", result.error());
    failsWith("expected a call to bead_close, got no tool call", "[]", CLOSE_EXPECTED, BEAD_CLOSE);
  }

  @Test
  void stringsCompareNormalised() {
    passes("""
        [{"name": "bead_close", "arguments": {"id": "B4-9", "reason": "Duplicate of b4 7."}}]""", CLOSE_EXPECTED, BEAD_CLOSE);
    passes("""
        [{"name": "bead_close", "arguments": {"id": "b4_9", "reason": "*DUPLICATE*"}}]""", CLOSE_EXPECTED, BEAD_CLOSE);
    failsWith("bead_close: argument 'reason' has value \"fixed\", expected one of [\"duplicate of b4-7\",\"duplicate\"]",
        """
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": "fixed"}}]""", CLOSE_EXPECTED, BEAD_CLOSE);
  }

  @Test
  void requiredArgumentsMustBeThereAndUnknownOnesMustNot() {
    failsWith("bead_close: missing required argument 'id'", """
        [{"name": "bead_close", "arguments": {"reason": "duplicate"}}]""", CLOSE_EXPECTED, BEAD_CLOSE);
    failsWith("bead_close: unexpected argument 'force' (the tool has no such parameter)", """
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": "duplicate", "force": true}}]""",
        CLOSE_EXPECTED, BEAD_CLOSE);
    failsWith("bead_close: unexpected argument 'reason' (the expected call does not use it)", """
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": "duplicate"}}]""", """
        [{"name": "bead_close", "arguments": {"id": ["b4-9"]}}]""", BEAD_CLOSE);
  }

  @Test
  void emptyStringOrNullMarksAnArgumentThatMayBeLeftOut() {
    String expected = """
        [{"name": "bead_close", "arguments": {"id": ["b4-9"], "reason": ["", "duplicate"]}}]""";
    passes("""
        [{"name": "bead_close", "arguments": {"id": "b4-9"}}]""", expected, BEAD_CLOSE);
    passes("""
        [{"name": "bead_close", "arguments": {"id": "b4-9"}}]""", """
        [{"name": "bead_close", "arguments": {"id": ["b4-9"], "reason": [null]}}]""", BEAD_CLOSE);
    failsWith("bead_close: missing argument 'reason', expected one of [\"duplicate of b4-7\",\"duplicate\"]", """
        [{"name": "bead_close", "arguments": {"id": "b4-9"}}]""", CLOSE_EXPECTED, BEAD_CLOSE);
    failsWith("bead_close: argument 'reason' is null, expected one of [\"\",\"duplicate\"]", """
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": null}}]""", expected, BEAD_CLOSE);
    passes("""
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": null}}]""", """
        [{"name": "bead_close", "arguments": {"id": ["b4-9"], "reason": ["", null]}}]""", BEAD_CLOSE);
  }

  private static final String TRIANGLE_EXPECTED =
      """
      [{"name": "triangle.area", "arguments": {"base": [10], "height": [5.5, 6], "unit": ["cm", ""],
        "corner": [[1.5, 2], ""], "style": [{"color": ["red"], "width": [2, ""]}, ""], "data": ["", "x"],
        "exact": ["", false], "tags": [["a", "b c"], ["b c", "a"], ""]}}]""";

  @Test
  void typesFollowTheSchemaIncludingBfclsPythonTypes() {
    passes("""
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 6, "corner": [1.5, 2.0],
          "style": {"color": "Red"}, "data": "X", "exact": false, "tags": ["b-c", "A"]}}]""", TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'base' has type string, expected integer", """
        [{"name": "triangle.area", "arguments": {"base": "10", "height": 5.5}}]""", TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'base' has type number, expected integer", """
        [{"name": "triangle.area", "arguments": {"base": 10.0, "height": 5.5}}]""", TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'corner[1]' has type string, expected float", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 5.5, "corner": [1.5, "2"]}}]""",
        TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'style.width' has type string, expected integer", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 5.5, "style": {"color": "red", "width": "2"}}}]""",
        TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'exact' has type string, expected boolean", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 5.5, "exact": "false"}}]""",
        TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'data' has value 7, expected one of [\"\",\"x\"]", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 5.5, "data": 7}}]""", TRIANGLE_EXPECTED, TRIANGLE);
  }

  @Test
  void numbersCompareNumerically() {
    passes("""
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 5.50}}]""", TRIANGLE_EXPECTED, TRIANGLE);
    passes("""
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 6.0}}]""", TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'height' has value 5.4, expected one of [5.5,6]", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 5.4}}]""", TRIANGLE_EXPECTED, TRIANGLE);
  }

  @Test
  void listsCompareElementByElementAndObjectsKeyByKey() {
    failsWith("triangle.area: argument 'tags' has value [\"a\"], expected one of [[\"a\",\"b c\"],[\"b c\",\"a\"],\"\"]", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 6, "tags": ["a"]}}]""", TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'corner' has value [2,1.5], expected one of [[1.5,2],\"\"]", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 6, "corner": [2, 1.5]}}]""",
        TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'style' has value {\"width\":2}, expected one of [{\"color\":[\"red\"],"
        + "\"width\":[2,\"\"]},\"\"]", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 6, "style": {"width": 2}}}]""",
        TRIANGLE_EXPECTED, TRIANGLE);
    failsWith("triangle.area: argument 'style' has value {\"color\":\"red\",\"shade\":1}, expected one of"
        + " [{\"color\":[\"red\"],\"width\":[2,\"\"]},\"\"]", """
        [{"name": "triangle.area", "arguments": {"base": 10, "height": 6, "style": {"color": "red", "shade": 1}}}]""",
        TRIANGLE_EXPECTED, TRIANGLE);
  }

  @Test
  void aValueOfTheTypeTheAnswerUsesPassesTheTypeCheck() {
    // BFCL simple_python_307: a string parameter whose possible answers are "" and true.
    passes("""
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": true}}]""", """
        [{"name": "bead_close", "arguments": {"id": ["b4-9"], "reason": ["", true]}}]""", BEAD_CLOSE);
  }

  @Test
  void argumentsWrittenAsAJsonStringAreParsedFirst() {
    passes("""
        [{"name": "bead_close", "arguments": "{\\"id\\": \\"b4-9\\", \\"reason\\": \\"duplicate\\"}"}]""",
        CLOSE_EXPECTED, BEAD_CLOSE);
    ToolCallChecker.Result result = check("""
        [{"name": "bead_close", "arguments": "id=b4-9"}]""", CLOSE_EXPECTED, BEAD_CLOSE);
    assertFalse(result.passed());
    assertTrue(result.error().startsWith("bead_close: the arguments are a string that is not JSON"), result.error());
  }

  private static final String PLAY =
      """
      {"type": "function", "function": {"name": "play", "parameters": {"type": "object",
        "properties": {"artist": {"type": "string"}, "minutes": {"type": "integer"}}, "required": ["artist"]}}}""";

  @Test
  void parallelCallsMatchInAnyOrder() {
    String expected = """
        [{"name": "play", "arguments": {"artist": ["Taylor Swift"], "minutes": [20]}},
         {"name": "play", "arguments": {"artist": ["Maroon 5"], "minutes": [15]}}]""";
    passes("""
        [{"name": "play", "arguments": {"artist": "Maroon 5", "minutes": 15}},
         {"name": "play", "arguments": {"artist": "taylor swift", "minutes": 20}}]""", expected, PLAY);
    failsWith("missing a call to play (expected [play, play], got [play])", """
        [{"name": "play", "arguments": {"artist": "Maroon 5", "minutes": 15}}]""", expected, PLAY);
    failsWith("an unexpected call to play (expected [play, play], got [play, play, play])", """
        [{"name": "play", "arguments": {"artist": "Maroon 5", "minutes": 15}},
         {"name": "play", "arguments": {"artist": "Maroon 5", "minutes": 15}},
         {"name": "play", "arguments": {"artist": "Taylor Swift", "minutes": 20}}]""", expected, PLAY);
    failsWith("no call matches expected call 1 play{\"artist\":[\"Taylor Swift\"],\"minutes\":[20]}; call 1: play:"
        + " argument 'artist' has value \"Maroon 5\", expected one of [\"Taylor Swift\"]; call 2: play: argument"
        + " 'minutes' has value 25, expected one of [20]", """
        [{"name": "play", "arguments": {"artist": "Maroon 5", "minutes": 15}},
         {"name": "play", "arguments": {"artist": "Taylor Swift", "minutes": 25}}]""", expected, PLAY);
  }

  @Test
  void parallelCallsAreAssignedNotTakenGreedily() {
    // The first expected call fits both calls, the second only the first call: taking the first fit for the
    // first expected call (as BFCL does) would leave the second without one.
    String expected = """
        [{"name": "play", "arguments": {"artist": ["Maroon 5", "Muse"]}},
         {"name": "play", "arguments": {"artist": ["Maroon 5"]}}]""";
    passes("""
        [{"name": "play", "arguments": {"artist": "Maroon 5"}}, {"name": "play", "arguments": {"artist": "Muse"}}]""",
        expected, PLAY);
    failsWith("no call matches expected call 2 play{\"artist\":[\"Maroon 5\"]}; call 1: play: argument 'artist' has"
        + " value \"Muse\", expected one of [\"Maroon 5\"]; call 2: it fits, but expected call 1 needs it", """
        [{"name": "play", "arguments": {"artist": "Muse"}}, {"name": "play", "arguments": {"artist": "Maroon 5"}}]""",
        """
        [{"name": "play", "arguments": {"artist": ["Maroon 5"]}},
         {"name": "play", "arguments": {"artist": ["Maroon 5"]}}]""", PLAY);
  }

  @Test
  void withoutAToolDefinitionOnlyTheExpectedAnswerCounts() {
    passes("""
        [{"name": "bead_close", "arguments": {"id": "b4-9", "reason": "duplicate"}}]""", CLOSE_EXPECTED);
  }
}
