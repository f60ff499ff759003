package net.b4mad.successor.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;

class ToolCallParserTest {

  @Test
  void plainText() {
    ParsedCompletion parsed = ToolCallParser.parse("Paris is the capital of France.<|im_end|>");

    assertEquals(new ParsedCompletion("", "Paris is the capital of France.", List.of(), List.of()), parsed);
  }

  @Test
  void oneCall() {
    ParsedCompletion parsed =
        ToolCallParser.parse("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Berlin\"}}\n</tool_call>");

    assertEquals("", parsed.content());
    assertEquals(List.of(call("get_weather", "{\"city\": \"Berlin\"}")), parsed.toolCalls());
    assertEquals(List.of(), parsed.errors());
  }

  @Test
  void parallelCalls() {
    ParsedCompletion parsed =
        ToolCallParser.parse(
            "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 2}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"g\", \"arguments\": {}}\n</tool_call>");

    assertEquals(List.of(call("f", "{\"x\": 1}"), call("f", "{\"x\": 2}"), call("g", "{}")), parsed.toolCalls());
    assertEquals("", parsed.content());
    assertTrue(!parsed.hasErrors());
  }

  @Test
  void thinkingThenCalls() {
    ParsedCompletion parsed =
        ToolCallParser.parse(
            "<think>\nThe user wants two cities.\n</think>\n\n"
                + "<tool_call>\n{\"name\": \"w\", \"arguments\": {\"c\": \"A\"}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"w\", \"arguments\": {\"c\": \"B\"}}\n</tool_call><|im_end|>");

    assertEquals("The user wants two cities.", parsed.reasoning());
    assertEquals("", parsed.content());
    assertEquals(List.of(call("w", "{\"c\": \"A\"}"), call("w", "{\"c\": \"B\"}")), parsed.toolCalls());
  }

  @Test
  void thinkingOpenedByThePrompt() {
    ParsedCompletion parsed = ToolCallParser.parse("only the close is generated\n</think>\n\nAnswer.");

    assertEquals("only the close is generated", parsed.reasoning());
    assertEquals("Answer.", parsed.content());
  }

  @Test
  void unclosedThinkingIsReported() {
    ParsedCompletion parsed = ToolCallParser.parse("<think>\nStill thinking when the tokens ran out");

    assertEquals("Still thinking when the tokens ran out", parsed.reasoning());
    assertEquals("", parsed.content());
    assertEquals("unclosed <think> block (no </think>)", parsed.errors().get(0).reason());
  }

  @Test
  void malformedJsonIsAnErrorEntryAndOtherCallsSurvive() {
    String broken = "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": }\n</tool_call>";
    ParsedCompletion parsed =
        ToolCallParser.parse(broken + "\n<tool_call>\n{\"name\": \"g\", \"arguments\": {}}\n</tool_call>");

    assertEquals(List.of(call("g", "{}")), parsed.toolCalls());
    assertEquals(1, parsed.errors().size());
    assertEquals(broken, parsed.errors().get(0).raw());
    assertTrue(parsed.errors().get(0).reason().startsWith("not valid JSON: "), parsed.errors().get(0).reason());
  }

  @Test
  void missingNameOrArgumentsAreErrors() {
    ParsedCompletion parsed =
        ToolCallParser.parse(
            "<tool_call>\n{\"arguments\": {}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"f\"}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"f\", \"arguments\": [1]}\n</tool_call>\n"
                + "<tool_call>\n[\"f\"]\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"f\", \"arguments\": {}} trailing\n</tool_call>"
                + "<tool_call>\n\n</tool_call>");

    assertEquals(List.of(), parsed.toolCalls());
    assertEquals(
        List.of(
            "no function name (a non-empty string 'name')",
            "arguments of 'f' must be a JSON object, got nothing",
            "arguments of 'f' must be a JSON object, got array [1]",
            "expected a JSON object {\"name\": ..., \"arguments\": {...}}, got array [\"f\"]"),
        parsed.errors().stream().map(ParsedCompletion.ParseError::reason).toList().subList(0, 4));
    assertTrue(parsed.errors().get(4).reason().startsWith("not valid JSON: "), parsed.errors().get(4).reason());
    assertEquals("empty <tool_call> block", parsed.errors().get(5).reason());
  }

  @Test
  void argumentsSerialisedAsAStringAreRead() {
    ParsedCompletion parsed =
        ToolCallParser.parse("<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"x\\\": 1}\"}\n</tool_call>");

    assertEquals(List.of(call("f", "{\"x\": 1}")), parsed.toolCalls());
  }

  @Test
  void unclosedBlockIsAnErrorEntry() {
    ParsedCompletion parsed =
        ToolCallParser.parse(
            "Let me check.\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n"
                + "<tool_call>\n{\"name\": \"g\", \"arguments\": {}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"h\", \"argu");

    assertEquals("Let me check.", parsed.content());
    assertEquals(List.of(call("g", "{}")), parsed.toolCalls());
    assertEquals(
        List.of(
            new ParsedCompletion.ParseError(
                "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n",
                "unclosed <tool_call> block (no </tool_call>)"),
            new ParsedCompletion.ParseError(
                "<tool_call>\n{\"name\": \"h\", \"argu", "unclosed <tool_call> block (no </tool_call>)")),
        parsed.errors());
  }

  @Test
  void textAroundCalls() {
    ParsedCompletion parsed =
        ToolCallParser.parse(
            "I will look both up.\n<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>\nThen compare."
                + "\n<tool_call>\n{\"name\": \"g\", \"arguments\": {}}\n</tool_call>\n  Done.  ");

    assertEquals("I will look both up.\nThen compare.\nDone.", parsed.content());
    assertEquals(List.of(call("f", "{}"), call("g", "{}")), parsed.toolCalls());
  }

  @Test
  void readsBackWhatTheTemplateRenders() {
    ToolCall sent = call("bead_create", "{\"title\": \"Übersetzung ✓\", \"labels\": [\"a\"]}");
    Conversation conversation =
        Conversation.of(
            List.of(
                ChatMessage.user("q"),
                new ChatMessage(ChatMessage.ASSISTANT, "I will create a bead.", "Need a bead.", List.of(sent, sent))));
    RenderedChat rendered = Qwen3ChatTemplate.render(conversation);

    ParsedCompletion parsed = ToolCallParser.parse(rendered.assistantSpans().get(0).of(rendered.text()));

    assertEquals(new ParsedCompletion("Need a bead.", "I will create a bead.", List.of(sent, sent), List.of()), parsed);
  }

  private static ToolCall call(String name, String arguments) {
    return new ToolCall(name, Json.MAPPER.readTree(arguments));
  }
}
