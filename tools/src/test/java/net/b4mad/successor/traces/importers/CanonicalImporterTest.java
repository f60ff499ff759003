package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFixtures;
import net.b4mad.successor.traces.TraceMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanonicalImporterTest {

  private final CanonicalImporter importer = new CanonicalImporter();

  @TempDir Path dir;

  @Test
  void readsItsOwnFixture() throws Exception {
    CollectingSink sink = CollectingSink.read(importer, TraceFixtures.own("canonical.jsonl"));
    assertEquals(2, sink.traces.size());
    assertEquals(List.of(3), sink.skipped.stream().map(s -> s.line()).toList());
    assertTrue(sink.skipped.get(0).reason().contains("unknown role 'narrator'"), sink.skipped.get(0).reason());
    TraceMetadata meta = sink.traces.get(0).metadata();
    assertEquals("Brenner", meta.agent());
    assertEquals("s-1", meta.sessionId());
    assertEquals(Instant.parse("2026-11-01T10:00:00Z"), meta.startedAt());
    assertEquals("success", meta.outcome());
    assertEquals(List.of("ops"), meta.tags());
    assertEquals("b4-1a2b", sink.traces.get(0).messages().get(1).toolCalls().get(0).arguments().get("id").stringValue());
  }

  /** Every other format's traces, written as canonical JSONL and read back, are the same traces. */
  @Test
  void roundTripsWhatTheOtherImportersRead() throws Exception {
    CollectingSink originals = new CollectingSink();
    new ShareGptImporter().read(TraceFixtures.shared("sharegpt-glaive-toolcall-100.json"), originals);
    new OpenAiChatImporter().read(TraceFixtures.shared("openai-chat-tool-calls.json"), originals);
    new ClaudeCodeImporter().read(TraceFixtures.own("claude-code-sidechains.jsonl"), originals);
    new AnthropicMessagesImporter().read(TraceFixtures.own("anthropic-messages.json"), originals);
    Path file = dir.resolve("export.jsonl");
    StringBuilder lines = new StringBuilder();
    for (Trace trace : originals.traces) {
      lines.append(Json.write(trace)).append('\n');
    }
    Files.writeString(file, lines);

    assertEquals("canonical", TraceFormats.detect(file).orElseThrow().format());
    CollectingSink back = CollectingSink.read(importer, file);
    assertEquals(List.of(), back.skipped);
    assertEquals(originals.traces.size(), back.traces.size());
    for (int i = 0; i < back.traces.size(); i++) {
      assertEquals(originals.traces.get(i).messages(), back.traces.get(i).messages());
      assertEquals(originals.traces.get(i).tools(), back.traces.get(i).tools());
      assertEquals(originals.traces.get(i).metadata(), back.traces.get(i).metadata());
    }
  }
}
