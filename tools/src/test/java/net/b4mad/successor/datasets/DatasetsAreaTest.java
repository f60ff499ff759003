package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.workspace.PathOutsideRootsException;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools as an agent calls them: arguments as JSON maps, results checked against the output schemas. */
class DatasetsAreaTest {

  @TempDir Path dir;
  Workspace workspace;
  DatasetsArea area;
  final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  @BeforeEach
  void open() {
    workspace = Workspace.open(dir.resolve("ws"), List.of());
    area = new DatasetsArea(workspace);
    TraceStore traces = new TraceStore(workspace.store());
    for (int i = 0; i < 12; i++) {
      traces.add(Examples.trace(Examples.request(i), "s" + i / 2, "b-" + i % 3, "2026-11-%02dT10:00:00Z".formatted(i + 1)));
    }
  }

  /** Calls a tool the way the MCP adapter does and checks the result against the tool's output schema. */
  Map<String, Object> call(String tool, Map<String, Object> arguments) throws Exception {
    ToolDefinition definition = area.tools().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow();
    Map<String, Object> input = Json.toMap(Json.MAPPER.readTree(definition.inputSchema()));
    var inputCheck = validator.validate(input, arguments);
    assertTrue(inputCheck.valid(), tool + " input: " + inputCheck.errorMessage());
    Map<String, Object> result = Json.toMap(definition.handler().call(new ToolCall(arguments, ToolContext.detached(tool))));
    var outputCheck = validator.validate(Json.toMap(Json.MAPPER.readTree(definition.outputSchema())), result);
    assertTrue(outputCheck.valid(), tool + " output: " + outputCheck.errorMessage() + "\n" + result);
    return result;
  }

  @Test
  void buildStatsValidatePreviewAndListAnswerInTheirSchemas() throws Exception {
    Path gold = Examples.writeLines(workspace.root().resolve("gold.jsonl"), List.of(Examples.goldLine("b4-1")));
    Path chat = Examples.writeLines(workspace.root().resolve("chat.jsonl"), IntStream.range(0, 20).mapToObj(Examples::chatLine).toList());
    Map<String, Object> built = call("dataset_build", Map.of(
        "name", "agent-tools",
        "traces", Map.of("agent", "Brenner", "since", "2026-11-01"),
        "gold_files", List.of(Map.of("path", "gold.jsonl")),
        "mix_in", List.of(Map.of("path", chat.toString(), "ratio", 0.5)),
        "group_by", "bead",
        "eval_fraction", 0.25,
        "seed", 3));
    String ref = (String) built.get("ref");
    assertTrue(ref.matches("agent-tools@[0-9a-f]{12}"), ref);
    Map<?, ?> counts = (Map<?, ?>) built.get("counts");
    assertEquals(12, counts.get("from_traces"));
    assertEquals(1, counts.get("gold"));
    assertEquals(7, counts.get("mix_in"), "round(0.5 * 13)");
    assertEquals(Boolean.TRUE, built.get("created"));

    Map<String, Object> rebuilt = call("dataset_build", Map.of(
        "name", "agent-tools", "traces", Map.of("agent", "Brenner", "since", "2026-11-01"),
        "gold_files", List.of(Map.of("path", gold.toString())), "mix_in", List.of(Map.of("path", "chat.jsonl", "ratio", 0.5)),
        "group_by", "bead", "eval_fraction", 0.25, "seed", 3));
    assertEquals(ref, rebuilt.get("ref"), "relative and absolute paths name the same files");
    assertEquals(Boolean.FALSE, rebuilt.get("created"));

    Map<String, Object> stats = call("dataset_stats", Map.of("dataset", "agent-tools"));
    Map<?, ?> numbers = (Map<?, ?>) stats.get("stats");
    assertEquals(20, numbers.get("examples"));
    assertEquals(Map.of("read_file", 12, "bd_close", 1), numbers.get("tool_calls_per_tool"));
    assertEquals(ref, stats.get("target"));

    Map<String, Object> validated = call("dataset_validate", Map.of("dataset", ref, "max_tokens", 100));
    assertEquals(20, validated.get("examples"));
    assertEquals(Map.of("too_long", 20), validated.get("problems_by_kind"));
    assertEquals(Boolean.TRUE, call("dataset_validate", Map.of("dataset", "agent-tools@latest")).get("invalid").equals(0));

    Map<String, Object> preview = call("dataset_preview", Map.of("dataset", "agent-tools", "index", 0, "split", "eval"));
    assertEquals("eval", preview.get("split"));
    assertTrue(((String) preview.get("marked_text")).contains("⟦"));
    String id = (String) preview.get("id");
    assertEquals(id, call("dataset_preview", Map.of("dataset", "agent-tools", "id", id)).get("id"));

    Map<String, Object> listed = call("dataset_list", Map.of());
    List<?> datasets = (List<?>) listed.get("datasets");
    assertEquals(1, datasets.size());
    Map<?, ?> dataset = (Map<?, ?>) datasets.get(0);
    assertEquals(ref.substring(ref.indexOf('@') + 1), dataset.get("latest"));

    McpSchema.ReadResourceResult manifest = area.resourceTemplates().get(0).readHandler()
        .apply(null, new McpSchema.ReadResourceRequest("successor://datasets/agent-tools/latest/manifest"));
    String text = ((McpSchema.TextResourceContents) manifest.contents().get(0)).text();
    assertTrue(text.contains("\"content_hash\""), text);
  }

  @Test
  void addExamplesThenValidateAFile() throws Exception {
    Map<String, Object> added = call("dataset_add_examples", Map.of("name", "gold",
        "examples", List.of(Json.toMap(Examples.json(Examples.goldLine("b4-5"))), Map.of("messages", List.of()))));
    assertEquals(1, added.get("added"));
    assertEquals(1, ((List<?>) added.get("refused")).size());
    Map<String, Object> listed = call("dataset_list", Map.of("name", "gold"));
    assertEquals(1, ((List<?>) ((Map<?, ?>) ((List<?>) listed.get("datasets")).get(0)).get("versions")).size());

    Path file = Examples.writeLines(workspace.root().resolve("check.jsonl"), List.of(
        Examples.goldLine("b4-1"),
        Examples.goldLine("b4-2").replace("\"reason\": \"done\"", "\"reason\": 7"),
        "not json"));
    Map<String, Object> report = call("dataset_validate", Map.of("file", file.toString()));
    assertEquals(3, report.get("examples"));
    assertEquals(2, report.get("invalid"));
    assertEquals(Map.of("malformed", 1, "schema_violation", 1), report.get("problems_by_kind"));
    Map<String, Object> fileStats = call("dataset_stats", Map.of("file", "check.jsonl"));
    assertEquals(2, ((Map<?, ?>) fileStats.get("stats")).get("examples"));
  }

  @Test
  void pathsOutsideTheAllowedRootsAreRefused() throws Exception {
    Path outside = Examples.writeLines(dir.resolve("outside/gold.jsonl"), List.of(Examples.goldLine("b4-1")));
    assertThrows(PathOutsideRootsException.class, () -> call("dataset_build",
        Map.of("name", "x", "gold_files", List.of(Map.of("path", outside.toString())))));
    assertThrows(PathOutsideRootsException.class, () -> call("dataset_validate", Map.of("file", "../outside/gold.jsonl")));
    Examples.writeLines(workspace.root().resolve("inside.jsonl"), List.of(Examples.goldLine("b4-1")));
    assertThrows(PathOutsideRootsException.class, () -> call("dataset_stats",
        Map.of("file", "inside.jsonl", "tokenizer", dir.resolve("outside").toString())));
    assertFalse(Files.exists(workspace.datasetsDir().resolve("x")));
  }

  @Test
  void unclearTargetsGetAnAnswerThatSaysWhatToGive() {
    Exception neither = assertThrows(Exception.class, () -> call("dataset_stats", Map.of()));
    assertTrue(neither.getMessage().contains("give either dataset"), neither.getMessage());
    Exception missing = assertThrows(IllegalArgumentException.class, () -> call("dataset_stats", Map.of("dataset", "nope")));
    assertTrue(missing.getMessage().contains("no dataset named 'nope'"), missing.getMessage());
    // The input schema refuses a bad name before the handler runs; the handler says the rule too.
    ToolDefinition add = area.tools().stream().filter(t -> t.name().equals("dataset_add_examples")).findFirst().orElseThrow();
    Map<String, Object> badName = Map.of("name", "Bad Name", "examples", List.of(Map.of()));
    assertFalse(validator.validate(Json.toMap(Json.MAPPER.readTree(add.inputSchema())), badName).valid());
    Exception rule = assertThrows(IllegalArgumentException.class,
        () -> add.handler().call(new ToolCall(badName, ToolContext.detached("t"))));
    assertTrue(rule.getMessage().contains("'Bad Name' is not allowed") && rule.getMessage().contains("a-z, 0-9"), rule.getMessage());
  }
}
