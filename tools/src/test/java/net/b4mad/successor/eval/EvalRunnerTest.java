package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A suite of every kind run with gold answers, scripted answers, a stop and a report that reads back. */
class EvalRunnerTest {

  @TempDir Path dir;

  static final String BEAD_UPDATE = """
      {"type": "function", "function": {"name": "bead_update", "description": "Change a bead.", "parameters":
        {"type": "object", "properties": {"id": {"type": "string"}, "status": {"type": "string"},
        "notes": {"type": "string"}}, "required": ["id"]}}}""";

  static final String DELEGATE = """
      {"type": "function", "function": {"name": "delegate_task", "description": "Hand work to an agent.",
        "parameters": {"type": "object", "properties": {"agent": {"type": "string"}, "task": {"type": "string"}},
        "required": ["agent", "task"]}}}""";

  static final List<String> LINES = List.of(
      """
      {"id": "mcp-1", "category": "mcp_tool_calling", "description": "Start work on b4-17.",
       "messages": [{"role": "user", "content": "I'm starting on b4-17 now."}], "tools": [%s],
       "expect": {"tool_calls": [{"name": "bead_update", "arguments": {"id": ["b4-17"], "status": ["in_progress"],
         "notes": ["", null]}}]},
       "gold": {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function":
         {"name": "bead_update", "arguments": "{\\"id\\": \\"b4-17\\", \\"status\\": \\"in_progress\\"}"}}]}}"""
          .formatted(BEAD_UPDATE),
      """
      {"id": "mcp-2", "category": "mcp_tool_calling", "messages": [{"role": "user", "content": "What is a bead?"}],
       "tools": [%s], "expect": {"no_call": true},
       "gold": {"role": "assistant", "content": "A bead is an issue in the beads tracker."}}""".formatted(BEAD_UPDATE),
      """
      {"id": "del-1", "category": "delegation", "messages": [{"role": "user", "content": "Write the Q3 report."}],
       "tools": [%s], "expect": {"delegate": "Romanov"},
       "gold": {"role": "assistant", "content": "Romanov writes reports.", "tool_calls": [{"type": "function",
         "function": {"name": "delegate_task", "arguments": {"agent": "romanov", "task": "Q3 report"}}}]}}"""
          .formatted(DELEGATE),
      """
      {"id": "del-2", "category": "delegation", "messages": [{"role": "user", "content": "Say hi."}],
       "tools": [%s], "expect": {"delegate": null}, "enable_thinking": true,
       "gold": {"role": "assistant", "content": "Hi!"}}""".formatted(DELEGATE),
      """
      {"id": "ep-1", "category": "bead_operations", "messages": [{"role": "user", "content": "Close b4-1 as fixed."}],
       "tools": [{"type": "function", "function": {"name": "bead_close", "parameters": {"type": "object",
         "properties": {"id": {"type": "string"}, "reason": {"type": "string"}}}}}],
       "expect": {"episode": {"beads": [{"id": "b4-1", "title": "Crash"}], "final": [{"id": "b4-1", "status": "closed",
         "close_reason_contains": "fixed"}]}},
       "gold": [{"role": "assistant", "tool_calls": [{"function": {"name": "bead_close", "arguments":
         {"id": "b4-1", "reason": "fixed"}}}]}, {"role": "assistant", "content": "Closed."}]}""");

  private EvalSuite suite(List<String> lines) throws Exception {
    Path file = dir.resolve("b4mad.jsonl");
    Files.writeString(file, String.join("\n", lines.stream().map(l -> l.replace("\n", " ")).toList()) + "\n");
    return EvalSuite.read(file);
  }

  @Test
  void goldAnswersPassEveryKind() throws Exception {
    EvalSuite suite = suite(LINES);
    assertEquals("b4mad", suite.name());

    EvalReport report = new EvalRunner().runPerCase(List.of(suite), GoldResponder::of);

    for (CaseResult result : report.cases()) {
      assertTrue(result.passed(), result.id() + ": " + result.error());
    }
    assertEquals(List.of("tool_calls", "no_call", "delegate", "delegate", "episode"),
        report.cases().stream().map(CaseResult::kind).toList());
    assertEquals("<tool_call>\n{\"name\": \"bead_update\", \"arguments\": {\"id\": \"b4-17\", \"status\":"
        + " \"in_progress\"}}\n</tool_call>", report.cases().get(0).output());
    EvalMetrics overall = report.overall();
    assertEquals(5, overall.cases());
    assertEquals(1.0, overall.passRate());
    assertEquals(1, overall.noCallCases());
    assertEquals(2, overall.delegateCases());
    assertEquals(1.0, overall.delegationAccuracy());
    assertEquals(1.0, overall.episodeSuccess());
    assertEquals(List.of("bead_operations", "delegation", "mcp_tool_calling"), List.copyOf(report.categories().keySet()));
    assertNull(report.categories().get("delegation").noCallAccuracy());
    assertEquals(List.of("b4mad"), List.copyOf(report.suites().keySet()));
  }

  @Test
  void wrongAnswersFailWithReasonsAndCountPerCategory() throws Exception {
    Map<String, String> answers = Map.of(
        "mcp-1", "<tool_call>\n{\"name\": \"bead_update\", \"arguments\": {\"id\": \"b4-17\", \"status\": \"blocked\"}}\n</tool_call>",
        "mcp-2", "<tool_call>\n{\"name\": \"bead_update\", \"arguments\": {\"id\": \"b4-1\"}}\n</tool_call>",
        "del-1", "<tool_call>\n{\"name\": \"delegate_task\", \"arguments\": {\"agent\": \"Brenner\", \"task\": \"x\"}}\n</tool_call>",
        "del-2", "<tool_call>\n{\"name\": \"delegate_task\", \"arguments\": {\"agent\": \"lotti\", \"task\": \"x\"}}\n</tool_call>",
        "ep-1", "I can't.");

    EvalReport report = new EvalRunner().runPerCase(List.of(suite(LINES)), c -> conversation -> answers.get(c.id()));

    List<String> errors = report.cases().stream().map(CaseResult::error).toList();
    assertEquals(List.of(
        "bead_update: argument 'status' has value \"blocked\", expected one of [\"in_progress\"]",
        "expected no tool call, got calls to [bead_update]",
        "delegate_task: argument 'agent' is Brenner, expected romanov",
        "expected no delegation, got delegate_task to [lotti]",
        "b4-1: status is open, expected closed; close reason (none) does not contain 'fixed'"), errors);
    CaseResult first = report.cases().get(0);
    assertTrue(first.jsonValid() && first.toolSelection() && !first.arguments() && !first.passed());
    EvalMetrics overall = report.overall();
    assertEquals(0, overall.passed());
    assertEquals(5, overall.jsonValid());
    assertEquals(3, overall.toolSelection());
    assertEquals(0.0, overall.noCallAccuracy());
    EvalMetrics delegation = report.categories().get("delegation");
    assertEquals(2, delegation.delegateCases());
    assertEquals(0, delegation.delegatePassed());
    assertEquals(0.5, delegation.toolSelectionRate());
  }

  @Test
  void aBrokenToolCallBlockFailsTheCase() throws Exception {
    EvalSuite suite = suite(LINES);
    CaseResult result = new EvalRunner().runCase("b4mad", suite.cases().get(1),
        conversation -> "No call needed.\n<tool_call>\n{\"name\": \"bead_update\", \"arguments\": {\n</tool_call>");
    assertFalse(result.passed());
    assertFalse(result.jsonValid());
    assertTrue(result.error().startsWith("a <tool_call> block does not parse (not valid JSON: "), result.error());
  }

  @Test
  void aStoppedRunReportsWhatRanAndReadsBack() throws Exception {
    List<String> progress = new ArrayList<>();
    AtomicInteger asked = new AtomicInteger();
    EvalRunner runner = new EvalRunner(() -> asked.incrementAndGet() > 2, (done, total) -> progress.add(done + "/" + total));

    EvalReport report = runner.runPerCase(List.of(suite(LINES)), GoldResponder::of);

    assertTrue(report.cancelled());
    assertEquals(5, report.total());
    assertEquals(2, report.cases().size());
    assertEquals(List.of("1/5", "2/5"), progress);

    EvalReport full = new EvalRunner().runPerCase(List.of(suite(LINES)), GoldResponder::of);
    Path file = dir.resolve("report.json");
    Files.writeString(file, Json.write(full));
    assertEquals(full, EvalReport.read(file));
    String json = Files.readString(file);
    assertTrue(json.startsWith("{\"total\":5,\"cancelled\":false,\"overall\":{\"cases\":5,\"passed\":5,\"json_valid\":5,"),
        json);
    assertTrue(json.contains("\"transcript\":[{\"output\":\"<tool_call>"), json);
  }

  @Test
  void suiteMistakesAreReportedWithFileAndLine() throws Exception {
    String good = LINES.get(1);
    assertEquals("b4mad.jsonl:2: duplicate id 'mcp-2' (first on line 1); ids must be unique",
        suiteError(good, good));
    assertEquals("b4mad.jsonl:1: unknown field 'expected'; a case has [category, description, enable_thinking,"
        + " expect, gold, id, messages, tools]", suiteError(good.replace("\"expect\"", "\"expected\"")));
    assertEquals("b4mad.jsonl:1: expect.tool_calls[0].arguments.status must be a non-empty list of acceptable"
        + " values, e.g. [\"in_progress\"] (\"\" or null: may be left out), got \"in_progress\"",
        suiteError(LINES.get(0).replace("\"status\": [\"in_progress\"]", "\"status\": \"in_progress\"")));
    assertEquals("b4mad.jsonl:1: expect.tool_calls[0]: the case offers no tool 'bead_close' (its tools:"
        + " [bead_update])", suiteError(LINES.get(0).replace("\"name\": \"bead_update\", \"arguments\": {\"id\": [",
            "\"name\": \"bead_close\", \"arguments\": {\"id\": [")));
    assertEquals("b4mad.jsonl:1: expect.delegate needs the case to offer the tool delegate_task; add it to 'tools'",
        suiteError(good.replace("{\"no_call\": true}", "{\"delegate\": \"lotti\"}")));
    assertEquals("b4mad.jsonl:1: expect.delegate must be one of [brenner, romanov, pltops, lotti] or null, got"
        + " \"bob\"", suiteError(LINES.get(2).replace("\"Romanov\"", "\"bob\"")));
    assertEquals("b4mad.jsonl:1: expect.episode.final[0]: unknown check 'state'; the checks are [close_reason_contains,"
        + " depends_on, description_contains, id, issue_type, labels_exclude, labels_include, notes_contain, priority,"
        + " status, title_contains], and {\"count\": {checks}, \"equals\": N}",
        suiteError(LINES.get(4).replace("\"status\": \"closed\"", "\"state\": \"closed\"")));
    assertEquals("b4mad.jsonl:1: expect.episode.beads: b4-1 depends on b4-2, which is not among the episode's beads"
        + " [b4-1]", suiteError(LINES.get(4).replace("\"title\": \"Crash\"",
            "\"title\": \"Crash\", \"dependencies\": [{\"depends_on_id\": \"b4-2\"}]")));
    assertEquals("b4mad.jsonl:1: an episode can run only the bead tools [bead_create, bead_update, bead_close,"
        + " bead_show, beads_list, beads_ready, bead_dep_add], but the case offers [delete_bead]",
        suiteError(LINES.get(4).replace("\"name\": \"bead_close\", \"parameters\"", "\"name\": \"delete_bead\", \"parameters\"")));
    assertEquals("b4mad.jsonl:1: the gold answer of mcp-2 must be assistant messages, not user",
        suiteError(good.replace("{\"role\": \"assistant\", \"content\": \"A bead", "{\"role\": \"user\", \"content\": \"A bead")));
    assertEquals("b4mad.jsonl:1: messages[0]: unknown role 'human': expected system, user, assistant or tool",
        suiteError(good.replace("\"role\": \"user\"", "\"role\": \"human\"")));
  }

  private String suiteError(String... lines) {
    String message = assertThrows(IllegalArgumentException.class, () -> suite(List.of(lines))).getMessage();
    return message.replace(dir + "/", "");
  }
}
