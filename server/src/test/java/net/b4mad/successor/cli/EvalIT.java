package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code successor eval bfcl} and {@code successor eval check} from the built jar. */
class EvalIT {

  private static final Path BFCL = JarRun.fixtures("bfcl");

  @TempDir Path dir;

  private static String output(String id, String... calls) {
    StringBuilder text = new StringBuilder();
    for (String call : calls) {
      text.append("<tool_call>\n").append(call).append("\n</tool_call>\n");
    }
    return Json.write(Json.MAPPER.createObjectNode().put("id", id).put("result", text.toString()));
  }

  @Test
  void bfclPrintsAVerdictPerQuestion() throws Exception {
    Path outputs = dir.resolve("outputs.jsonl");
    Files.write(outputs, List.of(
        output("simple_python_0", "{\"name\": \"calculate_triangle_area\", \"arguments\": {\"base\": 10, \"height\": 5}}"),
        output("simple_python_1", "{\"name\": \"math.factorial\", \"arguments\": {\"number\": 5}}"),
        output("simple_python_2", "{\"name\": \"math.hypot\", \"arguments\": {\"x\": 4, \"y\": 5, \"z\": 1}}")));

    JarRun run = JarRun.of("eval", "bfcl", "--questions", BFCL.resolve("BFCL_v4_simple_python.json").toString(),
        "--answers", BFCL.resolve("possible_answer/BFCL_v4_simple_python.json").toString(),
        "--outputs", outputs.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    List<String> lines = run.stdout().lines().toList();
    assertEquals(400, lines.size());
    assertEquals("{\"id\":\"simple_python_0\",\"valid\":true,\"error\":null}", lines.get(0));
    assertEquals("{\"id\":\"simple_python_1\",\"valid\":true,\"error\":null}", lines.get(1));
    assertEquals("{\"id\":\"simple_python_2\",\"valid\":false,\"error\":\"math.hypot: argument 'z' has value 1,"
        + " expected one of [\\\"\\\",0]\"}", lines.get(2));
    JsonNode missing = Json.MAPPER.readTree(lines.get(3));
    assertEquals("no output for simple_python_3 in " + outputs, missing.get("error").stringValue());
    assertEquals("BFCL_v4_simple_python: 2 of 400 valid", run.stderr().strip());
  }

  @Test
  void irrelevanceNeedsNoAnswers() throws Exception {
    Path outputs = dir.resolve("outputs.jsonl");
    Files.write(outputs, List.of(
        Json.write(Json.MAPPER.createObjectNode().put("id", "irrelevance_0").put("result", "I cannot compute that.")),
        output("irrelevance_1", "{\"name\": \"determine_body_mass_index\", \"arguments\": {}}")));

    JarRun run = JarRun.of("eval", "bfcl", "--questions", BFCL.resolve("BFCL_v4_irrelevance.json").toString(),
        "--outputs", outputs.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    List<String> lines = run.stdout().lines().toList();
    assertEquals(240, lines.size());
    assertEquals("{\"id\":\"irrelevance_0\",\"valid\":true,\"error\":null}", lines.get(0));
    assertTrue(lines.get(1).startsWith("{\"id\":\"irrelevance_1\",\"valid\":false,\"error\":\"expected no tool call"),
        lines.get(1));
  }

  @Test
  void badInputFilesExitWithTwoAndFileAndLine() throws Exception {
    Path outputs = dir.resolve("outputs.jsonl");
    Files.write(outputs, List.of(output("simple_python_0", "{}"), "{\"id\": \"simple_python_1\"}"));

    JarRun run = JarRun.of("eval", "bfcl", "--questions", BFCL.resolve("BFCL_v4_simple_python.json").toString(),
        "--answers", BFCL.resolve("possible_answer/BFCL_v4_simple_python.json").toString(),
        "--outputs", outputs.toString());

    assertEquals(2, run.exitCode());
    assertEquals("", run.stdout());
    assertEquals("successor: " + outputs + ":2: an output is {\"id\": \"...\", \"result\": \"<raw model text>\"} (or"
        + " an array of texts, one per turn)", run.stderr().strip());

    JarRun noAnswers = JarRun.of("eval", "bfcl", "--questions", BFCL.resolve("BFCL_v4_multiple.json").toString(),
        "--outputs", outputs.toString());
    assertEquals(2, noAnswers.exitCode());
    assertTrue(noAnswers.stderr().startsWith("successor: " + BFCL.resolve("BFCL_v4_multiple.json") + ":1:"
        + " multiple_0 needs its possible answer: give the possible_answer file"), noAnswers.stderr());
  }

  @Test
  void checkRunsASuiteAgainstItsGoldAnswers() throws Exception {
    Path suite = dir.resolve("mini.jsonl");
    String tool = "{\"type\": \"function\", \"function\": {\"name\": \"bead_show\", \"parameters\": {\"type\":"
        + " \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\"]}}}";
    Files.write(suite, List.of(
        "{\"id\": \"a\", \"category\": \"mcp_tool_calling\", \"messages\": [{\"role\": \"user\", \"content\": \"Show"
            + " b4-1.\"}], \"tools\": [" + tool + "], \"expect\": {\"tool_calls\": [{\"name\": \"bead_show\","
            + " \"arguments\": {\"id\": [\"b4-1\"]}}]}, \"gold\": {\"role\": \"assistant\", \"tool_calls\":"
            + " [{\"function\": {\"name\": \"bead_show\", \"arguments\": {\"id\": \"b4-1\"}}}]}}",
        "{\"id\": \"b\", \"category\": \"mcp_tool_calling\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
            + " \"tools\": [" + tool + "], \"expect\": {\"no_call\": true}, \"gold\": {\"role\": \"assistant\","
            + " \"tool_calls\": [{\"function\": {\"name\": \"bead_show\", \"arguments\": {\"id\": \"b4-1\"}}}]}}",
        "{\"id\": \"c\", \"category\": \"mcp_tool_calling\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}],"
            + " \"expect\": {\"no_call\": true}}"));

    JarRun run = JarRun.of("eval", "check", "--suite", suite.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode report = Json.MAPPER.readTree(run.stdout());
    assertEquals(2, report.get("total").intValue());
    assertEquals(1, report.get("overall").get("passed").intValue());
    assertEquals("expected no tool call, got calls to [bead_show]", report.get("cases").get(1).get("error").stringValue());
    assertEquals("mini: 1 of 2 cases passed; 1 left out (no gold answer)", run.stderr().strip());

    Path outputs = dir.resolve("outputs.jsonl");
    Files.write(outputs, List.of(Json.write(Json.MAPPER.createObjectNode().put("id", "c").put("result", "Hello!"))));
    JarRun recorded = JarRun.of("eval", "check", "--suite", suite.toString(), "--outputs", outputs.toString());
    assertEquals(0, recorded.exitCode(), recorded.stderr());
    assertEquals(1, Json.MAPPER.readTree(recorded.stdout()).get("overall").get("passed").intValue());
    assertEquals("mini: 1 of 1 cases passed; 2 left out (no output)", recorded.stderr().strip());
  }
}
