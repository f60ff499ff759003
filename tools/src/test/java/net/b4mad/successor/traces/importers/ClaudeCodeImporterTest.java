package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFixtures;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaudeCodeImporterTest {

  private final ClaudeCodeImporter importer = new ClaudeCodeImporter();

  @TempDir Path dir;

  private static List<String> roles(Trace trace) {
    return trace.messages().stream().map(TraceMessage::role).toList();
  }

  @Test
  void readsTheSampleSession() throws Exception {
    CollectingSink sink = CollectingSink.read(importer, TraceFixtures.shared("claude-code-session.jsonl"));
    assertEquals(List.of(), sink.skipped);
    assertEquals(1, sink.traces.size());
    Trace trace = sink.traces.get(0);
    assertEquals(List.of("user", "assistant", "tool", "assistant", "tool", "user", "assistant"), roles(trace));
    TraceMessage write = trace.messages().get(1);
    assertEquals("I'll create that function for you.", write.content());
    TraceToolCall call = write.toolCalls().get(0);
    assertEquals("toolu_001", call.id());
    assertEquals("Write", call.name());
    assertEquals("/project/hello.py", call.arguments().get("file_path").stringValue());
    TraceMessage result = trace.messages().get(2);
    assertEquals("toolu_001", result.toolCallId());
    assertEquals("Write", result.name());
    assertEquals("File written successfully", result.content());
    assertNull(trace.messages().get(3).content(), "a reply of only a tool call has no text");
    assertEquals("Bash", trace.messages().get(4).name());
    assertEquals("test-session-id", trace.metadata().sessionId());
    assertEquals("claude-code", trace.metadata().agent());
    assertEquals("claude-code:claude-code-session.jsonl", trace.metadata().source());
    assertEquals(Instant.parse("2025-12-24T10:00:00Z"), trace.metadata().startedAt());
    assertEquals(Instant.parse("2025-12-24T10:01:05Z"), trace.metadata().endedAt());
  }

  @Test
  void followsTheActiveBranchMergesStreamedLinesAndSplitsOffSidechains() throws Exception {
    CollectingSink sink = CollectingSink.read(importer, TraceFixtures.own("claude-code-sidechains.jsonl"));
    assertEquals(1, sink.skipped.size(), "the truncated last line");
    assertEquals(22, sink.skipped.get(0).line());
    assertTrue(sink.skipped.get(0).reason().startsWith("line 22: not valid JSON"), sink.skipped.get(0).reason());
    assertEquals(2, sink.traces.size());

    Trace main = sink.traces.get(0);
    assertEquals(List.of("user", "assistant", "tool", "tool", "assistant", "tool", "user", "assistant"), roles(main));
    assertTrue(main.messages().get(0).content().startsWith("The test in bd-a3f8 is flaky"), "the meta caveat is dropped");
    TraceMessage streamed = main.messages().get(1);
    assertEquals("I should read the test first and find the CI log.", streamed.reasoning());
    assertEquals("Let me look at the test and the CI log.", streamed.content());
    assertEquals(List.of("Read", "Task"), streamed.toolCalls().stream().map(TraceToolCall::name).toList());
    assertEquals("Task", main.messages().get(3).name());
    assertEquals("The log is written by scripts/ci.sh", main.messages().get(3).content(), "block-list results are joined");
    assertEquals("exit 1: test_retry failed", main.messages().get(5).content());
    assertEquals("Add a retry to the test instead.", main.messages().get(6).content(), "the abandoned branch is left out");
    assertEquals("Added a retry; the test passes now.", main.messages().get(7).content());
    assertEquals("sess-42", main.metadata().sessionId());
    assertEquals(List.of(), main.metadata().tags());
    assertEquals(Instant.parse("2026-11-02T09:00:01Z"), main.metadata().startedAt(), "the meta line does not count");
    assertEquals(Instant.parse("2026-11-02T09:00:17Z"), main.metadata().endedAt());

    Trace side = sink.traces.get(1);
    assertEquals(List.of("user", "assistant", "tool", "assistant"), roles(side));
    assertEquals("Find where the CI log is written", side.messages().get(0).content());
    assertEquals("Grep", side.messages().get(2).name());
    assertEquals("sess-42/sidechain/a1b2c3", side.metadata().sessionId());
    assertEquals(List.of("sidechain"), side.metadata().tags());
  }

  @Test
  void aMissingLinkFallsBackToFileOrderAndLosesNothing() throws Exception {
    Path file = dir.resolve("broken.jsonl");
    Files.writeString(
        file,
        """
        {"type":"user","parentUuid":null,"uuid":"a","sessionId":"s","message":{"role":"user","content":"first"}}
        {"type":"assistant","parentUuid":"a","uuid":"b","sessionId":"s","message":{"role":"assistant","content":[{"type":"text","text":"one"}]}}
        {"type":"user","parentUuid":"b","uuid":"c","sessionId":"s","message":{"role":"user","content":"sec
        {"type":"assistant","parentUuid":"c","uuid":"d","sessionId":"s","message":{"role":"assistant","content":[{"type":"text","text":"two"}]}}
        """);
    CollectingSink sink = CollectingSink.read(importer, file);
    assertEquals(List.of(3), sink.skipped.stream().map(s -> s.line()).toList());
    assertEquals(List.of("first", "one", "two"), sink.traces.get(0).messages().stream().map(TraceMessage::content).toList());
  }

  @Test
  void aSessionOfOnlySummariesIsReportedNotImported() throws Exception {
    Path file = dir.resolve("summaries.jsonl");
    Files.writeString(file, "{\"type\":\"summary\",\"summary\":\"Earlier work\",\"leafUuid\":\"x\"}\n");
    CollectingSink sink = CollectingSink.read(importer, file);
    assertEquals(List.of(), sink.traces);
    assertEquals(0, sink.skipped.get(0).line());
    assertTrue(sink.skipped.get(0).reason().contains("no user or assistant messages"));
  }
}
