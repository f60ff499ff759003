package net.b4mad.successor.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.workspace.WorkspaceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceStoreTest {

  @TempDir Path dir;
  TraceStore traces;

  static Trace trace(String agent, String text, String tool, String tag, String bead, String started) {
    List<TraceMessage> messages =
        List.of(
            TraceMessage.user(text),
            TraceMessage.assistant(
                "", null, List.of(new TraceToolCall("c1", tool, Json.MAPPER.readTree("{\"id\": \"" + bead + "\"}")))),
            TraceMessage.tool("c1", tool, "ok"));
    return new Trace(
        null,
        messages,
        List.of(),
        new TraceMetadata(agent, "test", "s-" + text, List.of(bead), Instant.parse(started), null, "success", List.of(tag)));
  }

  @BeforeEach
  void setUp() {
    traces = new TraceStore(WorkspaceStore.open(dir.resolve("successor.db")));
  }

  @Test
  void theSameConversationIsStoredOnce() {
    Trace a = trace("Brenner", "close b4-1", "bd_close", "ops", "b4-1", "2026-11-01T10:00:00Z");
    assertTrue(traces.add(a));
    assertFalse(traces.add(a));
    // Metadata does not make a conversation new; key order in arguments does not either.
    Trace sameContent = new Trace(null, a.messages(), a.tools(), null);
    assertFalse(traces.add(sameContent));
    assertEquals(1, traces.select(TraceFilter.ALL).size());
    String id = traces.select(TraceFilter.ALL).get(0).id();
    assertEquals(TraceStore.idFor(a.messages(), a.tools()), id);
    assertTrue(id.startsWith("tr-"));
  }

  @Test
  void filtersCombine() {
    traces.addAll(
        List.of(
            trace("Brenner", "close b4-1", "bd_close", "ops", "b4-1", "2026-11-01T10:00:00Z"),
            trace("Romanov", "update b4-2", "bd_update", "dev", "b4-2", "2026-11-05T10:00:00Z"),
            trace("Romanov", "close b4-3 100%", "bd_close", "ops_extra", "b4-3", "2026-11-09T10:00:00Z")));
    assertEquals(3, traces.select(TraceFilter.ALL).size());
    assertEquals(2, select(new TraceFilter(List.of(), "Romanov", null, null, null, null, null, null, null, null, 0)));
    assertEquals(2, select(new TraceFilter(List.of(), null, "bd_close", null, null, null, null, null, null, null, 0)));
    assertEquals(1, select(new TraceFilter(List.of(), null, null, null, null, null, null, "ops", null, null, 0)));
    assertEquals(1, select(new TraceFilter(List.of(), null, null, "100%", null, null, null, null, null, null, 0)));
    assertEquals(1, select(new TraceFilter(List.of(), null, null, "UPDATE", null, null, null, null, null, null, 0)));
    assertEquals(1, select(new TraceFilter(List.of(), null, null, null, null, null, null, null, null, "b4-3", 0)));
    assertEquals(
        2,
        select(new TraceFilter(List.of(), null, null, null, Instant.parse("2026-11-02T00:00:00Z"), null, null, null, null, null, 0)));
    assertEquals(1, select(new TraceFilter(List.of(), "Romanov", "bd_close", null, null, null, null, null, null, null, 0)));
    assertEquals(1, select(new TraceFilter(List.of(), null, null, null, null, null, null, null, null, null, 1)));
    assertEquals("Romanov", traces.select(TraceFilter.ALL).get(0).metadata().agent(), "newest first");
  }

  private int select(TraceFilter filter) {
    return traces.select(filter).size();
  }

  @Test
  void recordsRoundTrip() {
    Trace a = trace("Lotti", "close b4-9", "bd_close", "x", "b4-9", "2026-11-01T10:00:00Z");
    traces.add(a);
    Trace back = traces.get(TraceStore.idFor(a.messages(), a.tools())).orElseThrow();
    assertEquals(a.messages(), back.messages());
    assertEquals(a.metadata(), back.metadata());
  }
}
