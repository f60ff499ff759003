package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.datasets.DatasetExample;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset examples become one case per answering assistant turn, whose gold passes and whose expectation is exact. */
class DatasetCasesTest {

  @TempDir Path dir;

  static final String TOOLS = """
      [{"type": "function", "function": {"name": "create_event", "parameters": {"type": "object", "properties": {
        "title": {"type": "string"}, "when": {"type": "object", "properties": {"day": {"type": "string"},
        "hours": {"type": "array", "items": {"type": "integer"}}}}, "notify": {"type": "boolean"}},
        "required": ["title"]}}}]""";

  /** user, call, tool result, text answer, then a second text turn with nothing to answer. */
  static final String EXAMPLE = """
      {"id": "ex1", "tools": %s, "messages": [
        {"role": "system", "content": "You plan meetings."},
        {"role": "user", "content": "Book the retro on Friday, 10 to 11."},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function", "function":
          {"name": "create_event", "arguments": "{\\"title\\": \\"Retro\\", \\"when\\": {\\"day\\": \\"Friday\\", \\"hours\\": [10, 11]}}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "{\\"ok\\": true}"},
        {"role": "assistant", "content": "The retro is booked."},
        {"role": "assistant", "content": "Anything else?"}]}""".formatted(TOOLS);

  private static DatasetCases.Conversion convert(String... lines) {
    return DatasetCases.convert(List.of(lines).stream()
        .map(line -> DatasetExample.fromJson(Json.MAPPER.readTree(line), null)).toList());
  }

  private static CaseResult answer(EvalCase evalCase, String completion) {
    return new EvalRunner().runCase("ds", evalCase, conversation -> completion);
  }

  private static String call(String arguments) {
    return "<tool_call>\n{\"name\": \"create_event\", \"arguments\": " + arguments + "}\n</tool_call>";
  }

  @Test
  void eachAnsweringAssistantTurnIsACaseWithTheConversationBeforeIt() {
    DatasetCases.Conversion conversion = convert(EXAMPLE);

    assertEquals(List.of(), conversion.skipped());
    List<EvalCase> cases = conversion.cases();
    assertEquals(List.of("ex1/0", "ex1/1"), cases.stream().map(EvalCase::id).toList(),
        "the assistant turn after an assistant turn answers nothing");
    EvalCase first = cases.get(0);
    assertEquals("create_event", first.category(), "a call's case is filed under its tool");
    assertTrue(first.enableThinking(), "no empty think block prefilled: trained tool-calling turns have none");
    assertEquals(2, first.messages().size());
    assertInstanceOf(Expectation.ToolCalls.class, first.expectation());
    assertEquals(1, first.tools().size());
    EvalCase second = cases.get(1);
    assertEquals("no_call", second.category());
    assertEquals(ChatMessage.TOOL, second.messages().get(second.messages().size() - 1).role());
    assertInstanceOf(Expectation.NoCall.class, second.expectation());

    EvalReport gold = new EvalRunner().runPerCase(List.of(conversion.suite("ds")), GoldResponder::of);
    assertEquals(2, gold.overall().passed(), "each turn's own answer passes its case");
  }

  @Test
  void theExpectedArgumentsAreExactlyTheExamplesValues() {
    EvalCase booking = convert(EXAMPLE).cases().get(0);

    assertTrue(answer(booking, call("{\"when\": {\"hours\": [10, 11], \"day\": \"friday\"}, \"title\": \"retro\"}")).passed(),
        "key order and the checker's string normalisation do not matter");
    CaseResult otherHour = answer(booking, call("{\"title\": \"Retro\", \"when\": {\"day\": \"Friday\", \"hours\": [10, 12]}}"));
    assertFalse(otherHour.passed());
    assertTrue(otherHour.toolSelection());
    CaseResult added = answer(booking, call("{\"title\": \"Retro\", \"when\": {\"day\": \"Friday\", \"hours\": [10, 11]}, \"notify\": true}"));
    assertFalse(added.passed(), "an argument the example left out may not be added: " + added.error());
    assertFalse(answer(booking, call("{\"title\": \"Retro\"}")).passed(), "nor one it gave be left out");
    assertFalse(answer(booking, "Booked.").passed());
    assertTrue(answer(convert(EXAMPLE).cases().get(1), "Done.").passed());
  }

  @Test
  void turnsThatCannotBeCasesAreSkippedWithTheReason() throws Exception {
    String broken = """
        {"id": "ex2", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "",
          "tool_calls": [{"type": "function", "function": {"name": "create_event", "arguments": "not json"}}]},
          {"role": "user", "content": "Thanks"}, {"role": "assistant", "content": "You're welcome."}]}""";
    String noId = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]}";
    Path file = dir.resolve("examples.jsonl");
    Files.write(file, List.of(EXAMPLE.replace("\n", " "), broken.replace("\n", " "), noId));

    DatasetCases.Conversion conversion = DatasetCases.convert(DatasetCases.read(file));

    assertEquals(List.of("ex1/0", "ex1/1", "ex2/1", "line-3/0"), conversion.cases().stream().map(EvalCase::id).toList());
    assertEquals(1, conversion.skipped().size());
    assertTrue(conversion.skipped().get(0).startsWith("ex2/0: create_event: the arguments are a string that is not JSON"),
        conversion.skipped().toString());
  }
}
