package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFixtures;
import net.b4mad.successor.traces.TraceMessage;
import org.junit.jupiter.api.Test;

class AnthropicMessagesImporterTest {

  @Test
  void readsToolUseAndToolResultBlocks() throws Exception {
    CollectingSink sink = CollectingSink.read(new AnthropicMessagesImporter(), TraceFixtures.own("anthropic-messages.json"));
    assertEquals(2, sink.traces.size());
    assertEquals(1, sink.skipped.size());
    assertEquals(2, sink.skipped.get(0).line());
    assertTrue(sink.skipped.get(0).reason().startsWith("array index 2: not a anthropic conversation: messages[0]: unknown role 'system'"),
        sink.skipped.get(0).reason());

    Trace trace = sink.traces.get(0);
    assertEquals(List.of("system", "user", "assistant", "tool", "assistant"), trace.messages().stream().map(TraceMessage::role).toList());
    assertEquals("You are a release assistant.", trace.messages().get(0).content());
    TraceMessage call = trace.messages().get(2);
    assertEquals("Let me check.", call.content());
    assertEquals("I should read the issue.", call.reasoning());
    assertEquals("toolu_01A", call.toolCalls().get(0).id());
    assertEquals("bd-x7k2", call.toolCalls().get(0).arguments().get("id").stringValue());
    TraceMessage result = trace.messages().get(3);
    assertEquals("toolu_01A", result.toolCallId());
    assertEquals("get_issue", result.name());
    assertTrue(result.content().contains("\"status\": \"open\""));
    assertEquals(
        "{\"type\":\"function\",\"function\":{\"name\":\"get_issue\",\"description\":\"Read an issue by id\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}}}",
        trace.tools().get(0).toString());
    assertEquals("anthropic-messages.json#0", trace.metadata().sessionId());

    Trace second = sink.traces.get(1);
    assertEquals("Be brief.", second.messages().get(0).content(), "system text blocks");
    assertEquals("What is in this picture?\n\n[image]", second.messages().get(1).content());
    assertEquals("A cat.", second.messages().get(2).content());
  }
}
