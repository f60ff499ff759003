package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;

/** Episodes against the simulated beads store, with scripted model turns. */
class EpisodeSimulatorTest {

  static final String TOOLS = """
      [{"type": "function", "function": {"name": "bead_close", "parameters": {"type": "object", "properties":
        {"id": {"type": "string"}, "reason": {"type": "string"}}, "required": ["id"]}}},
       {"type": "function", "function": {"name": "bead_create", "parameters": {"type": "object", "properties":
        {"title": {"type": "string"}, "labels": {"type": "array"}, "depends_on": {"type": "array"}}, "required": ["title"]}}},
       {"type": "function", "function": {"name": "bead_update", "parameters": {"type": "object", "properties":
        {"id": {"type": "string"}, "notes": {"type": "string"}}, "required": ["id"]}}},
       {"type": "function", "function": {"name": "bead_show", "parameters": {"type": "object", "properties":
        {"id": {"type": "string"}}, "required": ["id"]}}},
       {"type": "function", "function": {"name": "beads_list", "parameters": {"type": "object", "properties": {}}}}]""";

  /** The contract's example episode. */
  static final String CASE = ("""
      {"id": "ep-1", "category": "bead_operations", "messages": [{"role": "user", "content": "The worker test is
      fixed; close b4-17, file a follow-up to add a retry (label ci, after b4-17), and note on b4-3 that it is blocked
      on the GPU node."}], "tools": %s,
       "expect": {"episode": {
         "beads": [{"id": "b4-17", "title": "Flaky CI on the worker test", "status": "open", "priority": 1,
                    "issue_type": "bug", "labels": ["ci"], "description": "fails one run in ten"},
                   {"id": "b4-3", "title": "Train on the GPU node", "status": "in_progress",
                    "dependencies": [{"depends_on_id": "b4-17"}]}],
         "max_turns": 5,
         "final": [
           {"id": "b4-17", "status": "closed", "close_reason_contains": "fixed"},
           {"title_contains": "retry", "status": "open", "labels_include": ["ci"], "depends_on": ["b4-17"]},
           {"id": "b4-3", "notes_contain": "blocked on the GPU node"},
           {"count": {"status": "closed"}, "equals": 1}]}}}""").formatted(TOOLS).replace("\n", " ");

  static EvalCase episodeCase() {
    return EvalCase.parse(Json.MAPPER.readTree(CASE));
  }

  /** Answers turn k with the k-th text, and records what each turn was shown. */
  static final class Script implements Responder {
    final List<String> turns;
    final List<Conversation> seen = new ArrayList<>();

    Script(String... turns) {
      this.turns = List.of(turns);
    }

    @Override
    public String respond(Conversation conversation) {
      seen.add(conversation);
      return seen.size() <= turns.size() ? turns.get(seen.size() - 1) : "Done.";
    }
  }

  static String call(String name, String arguments) {
    return "<tool_call>\n{\"name\": \"" + name + "\", \"arguments\": " + arguments + "}\n</tool_call>";
  }

  private static CaseResult run(EvalCase evalCase, Responder responder) {
    return new EvalRunner().runCase("s", evalCase, responder);
  }

  @Test
  void aPassingRunWithARefusedCallOnTheWay() {
    Script script = new Script(
        "<think>\nLook first.\n</think>\n\n" + call("bead_show", "{\"id\": \"b4-99\"}"),
        call("bead_close", "{\"id\": \"b4-17\", \"reason\": \"Fixed: the test waits for the port\"}") + "\n"
            + call("bead_create", "{\"title\": \"Add a retry to the worker test\", \"labels\": [\"ci\"],"
                + " \"depends_on\": [\"b4-17\"]}"),
        call("bead_update", "{\"id\": \"b4-3\", \"notes\": \"Blocked on the GPU node.\"}"),
        "All three are done.");

    CaseResult result = run(episodeCase(), script);

    assertTrue(result.passed(), result.error());
    assertNull(result.error());
    assertEquals("episode", result.kind());
    assertTrue(result.jsonValid() && result.toolSelection() && result.arguments());
    assertEquals(4, result.transcript().size());
    assertEquals("{\"error\":\"no bead b4-99 in ./.beads/issues.jsonl; beads_list shows the ids there\"}",
        result.transcript().get(0).calls().get(0).result());
    assertTrue(result.transcript().get(1).calls().get(0).result().contains("\"status\":\"closed\""));
    assertEquals(List.of(), result.transcript().get(3).calls());
    assertEquals("All three are done.", result.transcript().get(3).output());

    // The model saw its own turns and every tool result, in the chat form the template renders.
    Conversation last = script.seen.get(3);
    List<ChatMessage> messages = last.messages();
    assertEquals(1 + 1 + 1 + 1 + 2 + 1 + 1, messages.size());
    assertEquals("Look first.", messages.get(1).reasoningContent());
    assertEquals(ChatMessage.TOOL, messages.get(2).role());
    assertTrue(messages.get(5).content().startsWith("{\"id\":\"b4-"), messages.get(5).content());
    assertTrue(last.addGenerationPrompt());
    assertEquals(5, last.tools().size());
    assertEquals("{\"max_turns\":5,\"final\":[{\"id\":\"b4-17\",\"status\":\"closed\",\"close_reason_contains\":"
        + "\"fixed\"},{\"title_contains\":\"retry\",\"status\":\"open\",\"labels_include\":[\"ci\"],\"depends_on\":"
        + "[\"b4-17\"]},{\"id\":\"b4-3\",\"notes_contain\":\"blocked on the GPU node\"},{\"count\":{\"status\":"
        + "\"closed\"},\"equals\":1}]}", Json.write(result.expected()));
  }

  @Test
  void aFailingRunSaysWhichPredicatesDoNotHold() {
    CaseResult result = run(episodeCase(), new Script(
        call("bead_close", "{\"id\": \"b4-17\", \"reason\": \"done\"}"),
        call("bead_create", "{\"title\": \"Retry the test\"}") + call("bead_create", "{\"title\": \"Retry the build\"}")));

    assertFalse(result.passed());
    assertTrue(result.error().startsWith("b4-17: close reason 'done' does not contain 'fixed'; 2 beads ["),
        result.error());
    assertTrue(result.error().contains("with a title containing 'retry' at the end, expected exactly one"), result.error());
    assertTrue(result.error().endsWith("b4-3: notes (none) do not contain 'blocked on the GPU node'"), result.error());
  }

  @Test
  void unknownToolsAndBadArgumentsAreAnsweredAndCounted() {
    CaseResult result = run(episodeCase(), new Script(
        call("delete_everything", "{}"),
        call("bead_close", "{\"id\": \"b4-17\", \"force\": true}"),
        "<tool_call>\n{\"name\": \"bead_close\", \"arguments\": {\"id\": \"b4-17\"\n</tool_call>"));

    assertFalse(result.passed());
    assertFalse(result.toolSelection());
    assertFalse(result.arguments());
    assertFalse(result.jsonValid());
    assertTrue(result.transcript().get(0).calls().get(0).result()
        .startsWith("{\"error\":\"there is no tool delete_everything; the tools are [bead_close, bead_create,"),
        result.transcript().get(0).calls().get(0).result());
    assertTrue(result.transcript().get(1).calls().get(0).result().startsWith("{\"error\":\"invalid arguments for"
        + " bead_close: "), result.transcript().get(1).calls().get(0).result());
    // The broken block is no call: the episode ends there.
    assertEquals(3, result.transcript().size());
  }

  @Test
  void anEpisodeStopsAfterMaxTurns() {
    Responder forever = conversation -> call("beads_list", "{}");
    CaseResult result = run(episodeCase(), forever);
    assertEquals(5, result.transcript().size());
    assertTrue(result.transcript().get(4).calls().get(0).result().startsWith("{\"count\":2,"));
  }
}
