package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFixtures;
import net.b4mad.successor.traces.TraceMessage;
import org.junit.jupiter.api.Test;

class ShareGptImporterTest {

  private final ShareGptImporter importer = new ShareGptImporter();

  @Test
  void readsTheHundredGlaiveConversations() throws Exception {
    CollectingSink sink = CollectingSink.read(importer, TraceFixtures.shared("sharegpt-glaive-toolcall-100.json"));
    assertEquals(List.of(), sink.skipped);
    assertEquals(100, sink.traces.size());
    long calls = sink.traces.stream().flatMap(t -> t.messages().stream()).mapToLong(m -> m.toolCalls().size()).sum();
    long results = sink.traces.stream().flatMap(t -> t.messages().stream()).filter(m -> m.role().equals("tool")).count();
    assertEquals(73, calls);
    assertEquals(73, results);

    Trace first = sink.traces.get(0);
    assertEquals(
        List.of("user", "assistant", "user", "assistant", "tool", "assistant", "user", "assistant"),
        first.messages().stream().map(TraceMessage::role).toList());
    TraceMessage call = first.messages().get(3);
    assertEquals("call_0", call.toolCalls().get(0).id());
    assertEquals("search_recipes", call.toolCalls().get(0).name());
    assertEquals("rice", call.toolCalls().get(0).arguments().at("/ingredients/2").stringValue());
    TraceMessage result = first.messages().get(4);
    assertEquals("call_0", result.toolCallId());
    assertEquals("search_recipes", result.name());
    assertTrue(result.content().startsWith("{\"recipes\""));
    assertEquals("search_recipes", first.tools().get(0).at("/function/name").stringValue());
    assertEquals("object", first.tools().get(0).at("/function/parameters/type").stringValue());
    assertEquals("sharegpt-glaive-toolcall-100.json#0", first.metadata().sessionId());
  }

  @Test
  void parallelCallsAndObservationsPairInOrder() {
    Trace trace =
        importer.convert(
            Json.MAPPER.readTree(
                """
                {"system": "You are a bot.", "tools": [],
                 "conversations": [
                  {"from": "human", "value": "Weather in Oslo and Rome?"},
                  {"from": "function_call", "value": "[{\\"name\\": \\"w\\", \\"arguments\\": {\\"city\\": \\"Oslo\\"}}, {\\"name\\": \\"w\\", \\"arguments\\": \\"{\\\\\\"city\\\\\\": \\\\\\"Rome\\\\\\"}\\"}]"},
                  {"from": "observation", "value": "3 C"},
                  {"from": "observation", "value": "19 C"},
                  {"from": "gpt", "value": "Oslo 3 C, Rome 19 C."}]}
                """),
            null);
    assertEquals("system", trace.messages().get(0).role());
    assertEquals(List.of("call_0", "call_1"), trace.messages().get(2).toolCalls().stream().map(c -> c.id()).toList());
    assertEquals("Rome", trace.messages().get(2).toolCalls().get(1).arguments().get("city").stringValue());
    assertEquals("call_0", trace.messages().get(3).toolCallId());
    assertEquals("call_1", trace.messages().get(4).toolCallId());
  }

  @Test
  void anUnknownSpeakerIsAnError() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> importer.convert(Json.MAPPER.readTree("{\"conversations\": [{\"from\": \"narrator\", \"value\": \"x\"}]}"), null));
    assertTrue(e.getMessage().startsWith("conversations[0]: unknown 'from' value 'narrator'"), e.getMessage());
  }
}
