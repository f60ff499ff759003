package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.b4mad.successor.traces.SkippedInput;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFixtures;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceToolCall;
import org.junit.jupiter.api.Test;

class OpenAiChatImporterTest {

  private final OpenAiChatImporter importer = new OpenAiChatImporter();

  @Test
  void readsTheQwenVllmConversation() throws Exception {
    CollectingSink sink = CollectingSink.read(importer, TraceFixtures.shared("openai-chat-tool-calls.json"));
    assertEquals(List.of(), sink.skipped);
    Trace trace = sink.traces.get(0);
    assertEquals(List.of("user", "assistant", "tool", "tool", "assistant"), trace.messages().stream().map(TraceMessage::role).toList());
    TraceMessage calls = trace.messages().get(1);
    assertNull(calls.content());
    TraceToolCall first = calls.toolCalls().get(0);
    assertEquals("chatcmpl-tool-924d705adb044ff88e0ef3afdd155f15", first.id());
    assertEquals("get_current_temperature", first.name());
    assertTrue(first.arguments().isObject(), "the JSON string arguments are parsed");
    assertEquals("San Francisco, CA, USA", first.arguments().get("location").stringValue());
    assertEquals("2024-10-01", calls.toolCalls().get(1).arguments().get("date").stringValue());
    TraceMessage result = trace.messages().get(3);
    assertEquals("chatcmpl-tool-7e30313081944b11b6e5ebfd02e8e501", result.toolCallId());
    assertEquals("get_temperature_date", result.name(), "tool results are named after the call they answer");
    assertEquals(2, trace.tools().size());
    assertEquals("get_current_temperature", trace.tools().get(0).at("/function/name").stringValue());
    assertEquals("openai:openai-chat-tool-calls.json", trace.metadata().source());
    assertEquals("openai-chat-tool-calls.json", trace.metadata().sessionId());
    // The canonical record renders with the Qwen3 template like the original.
    assertEquals(5, trace.toConversation().messages().size());
  }

  @Test
  void badLinesAreSkippedWithTheirLineAndTheRestIsRead() throws Exception {
    CollectingSink sink = CollectingSink.read(importer, TraceFixtures.own("openai-mixed.jsonl"));
    assertEquals(3, sink.traces.size());
    assertEquals(List.of(2, 5, 6), sink.skipped.stream().map(SkippedInput::line).toList());
    assertTrue(sink.skipped.get(0).reason().startsWith("line 2: not valid JSON"), sink.skipped.get(0).reason());
    assertTrue(sink.skipped.get(1).reason().contains("messages[0]: unknown role 'wizard'"), sink.skipped.get(1).reason());
    assertTrue(sink.skipped.get(2).reason().contains("must be a JSON object"), sink.skipped.get(2).reason());
    assertTrue(sink.skipped.get(0).file().endsWith("openai-mixed.jsonl"));
    assertEquals("openai-mixed.jsonl#4", sink.traces.get(1).metadata().sessionId());

    TraceMessage reasoning = sink.traces.get(1).messages().get(1);
    assertEquals("Use the deploy tool.", reasoning.reasoning());
    assertEquals("deploy", sink.traces.get(1).messages().get(2).name());

    Trace unparsable = sink.traces.get(2);
    assertEquals("Book a table", unparsable.messages().get(0).content(), "text parts are joined");
    TraceToolCall call = unparsable.messages().get(1).toolCalls().get(0);
    assertTrue(call.arguments().isString(), "arguments that do not parse are kept as the string");
    assertEquals("{location: Paris", call.arguments().stringValue());
  }

  @Test
  void readsCanonicalMessagesAndLegacyFunctionCalls() {
    Trace trace =
        importer.convert(
            net.b4mad.successor.json.Json.MAPPER.readTree(
                """
                {"messages": [
                  {"role": "developer", "content": "Be terse."},
                  {"role": "user", "content": "2+2?"},
                  {"role": "assistant", "content": null, "reasoning": "add", "tool_calls": [{"id": "c1", "name": "add", "arguments": {"a": 2, "b": 2}}]},
                  {"role": "tool", "tool_call_id": "c1", "content": "4"},
                  {"role": "assistant", "content": null, "function_call": {"name": "say", "arguments": "{\\"text\\": \\"4\\"}"}},
                  {"role": "function", "name": "say", "content": "ok"}
                ], "functions": [{"name": "say", "parameters": {"type": "object"}}]}
                """),
            null);
    assertEquals("system", trace.messages().get(0).role());
    assertEquals("add", trace.messages().get(2).reasoning());
    assertEquals(2, trace.messages().get(2).toolCalls().get(0).arguments().get("b").intValue());
    assertEquals("add", trace.messages().get(3).name());
    assertEquals("call_4_0", trace.messages().get(4).toolCalls().get(0).id());
    assertEquals("call_4_0", trace.messages().get(5).toolCallId(), "the function role answers the call before it");
    assertEquals("function", trace.tools().get(0).path("type").stringValue());
  }
}
