package net.b4mad.successor.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.WorkspaceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceImportTest {

  @TempDir Path dir;
  TraceStore store;
  TraceImport importer;

  @BeforeEach
  void setUp() {
    store = new TraceStore(WorkspaceStore.open(dir.resolve("successor.db")));
    importer = new TraceImport(store);
  }

  private ImportReport run(Path path, TraceImport.Options options) throws Exception {
    return importer.run(path, options, ToolContext.detached("test"));
  }

  private static TraceImport.Options detect() {
    return new TraceImport.Options(null, null, List.of(), null);
  }

  @Test
  void goodLinesAreImportedBadOnesReportedAndSecretsNeverStored() throws Exception {
    Path file = TraceFixtures.own("openai-mixed.jsonl");
    ImportReport report = run(file, new TraceImport.Options(null, "Lotti", List.of("demo"), null));
    assertEquals(3, report.imported());
    assertEquals(0, report.duplicates());
    assertEquals(List.of(2, 5, 6), report.skipped().stream().map(SkippedInput::line).toList());
    assertEquals(3, report.skippedCount());
    assertEquals(file.toString(), report.skipped().get(0).file());
    assertEquals(Map.of("openai_key", 1, "email", 1, "bearer_token", 1, "aws_access_key_id", 1), report.scrubbed());
    assertEquals(Map.of("openai", 3), report.formats());

    List<Trace> stored = store.select(TraceFilter.ALL);
    String all = Json.write(stored);
    assertFalse(all.contains("sk-proj-"), all);
    assertFalse(all.contains("AKIAIOSFODNN7EXAMPLE"), all);
    assertFalse(all.contains("jane.doe@example.com"), all);
    assertTrue(all.contains("[REDACTED_OPENAI_KEY]"));
    for (Trace trace : stored) {
      assertEquals("Lotti", trace.metadata().agent());
      assertEquals(List.of("demo"), trace.metadata().tags());
      // The id is the hash of the scrubbed content.
      assertEquals(TraceStore.idFor(trace.messages(), trace.tools()), trace.id());
    }
  }

  @Test
  void importingTheSameInputTwiceStoresItOnce() throws Exception {
    Path file = TraceFixtures.shared("sharegpt-glaive-toolcall-100.json");
    ImportReport first = run(file, detect());
    // The glaive sample holds five conversations twice over.
    assertEquals(95, first.imported());
    assertEquals(5, first.duplicates());
    ImportReport second = run(file, new TraceImport.Options("sharegpt", "someone-else", List.of("again"), null));
    assertEquals(0, second.imported());
    assertEquals(100, second.duplicates());
    assertEquals(95, store.select(TraceFilter.ALL).size());
  }

  @Test
  void aDirectoryIsWalkedHiddenFilesSkippedUnknownFilesReported() throws Exception {
    Path project = dir.resolve("projects/-work-app");
    Files.createDirectories(project.resolve(".cache"));
    Files.copy(TraceFixtures.shared("claude-code-session.jsonl"), project.resolve("test-session-id.jsonl"));
    Files.copy(TraceFixtures.own("claude-code-sidechains.jsonl"), project.resolve("sess-42.jsonl"));
    Files.copy(TraceFixtures.own("claude-code-sidechains.jsonl"), project.resolve(".hidden.jsonl"));
    Files.copy(TraceFixtures.own("claude-code-sidechains.jsonl"), project.resolve(".cache/copy.jsonl"));
    Files.writeString(project.resolve("notes.json"), "{\"title\": \"not a trace\"}");
    Files.writeString(project.resolve("README.md"), "# not json");
    Files.writeString(project.resolve("empty.jsonl"), "");

    ImportReport report = run(dir.resolve("projects"), detect());
    assertEquals(4, report.files());
    assertEquals(3, report.imported(), "one main conversation per session, plus one sidechain");
    assertEquals(Map.of("claude-code", 3), report.formats());
    assertEquals(Map.of("github_token", 1, "url_password", 1), report.scrubbed());
    List<String> reasons = report.skipped().stream().map(SkippedInput::reason).toList();
    assertEquals(3, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).contains("holds no valid JSON record"), reasons.toString());
    assertTrue(reasons.get(1).contains("not a trace format Successor knows"), reasons.toString());
    assertTrue(report.skipped().get(1).file().endsWith("notes.json"));
    assertTrue(reasons.get(2).startsWith("line 22: not valid JSON"), reasons.toString());

    Trace main =
        store.select(new TraceFilter(List.of(), null, null, null, null, null, null, null, "sess-42", null, 0)).get(0);
    assertEquals(List.of("bd-a3f8"), main.metadata().beadIds());
    assertEquals(List.of(), main.metadata().tags());
    assertEquals(
        1, store.select(new TraceFilter(List.of(), null, null, null, null, null, null, "sidechain", null, null, 0)).size());
  }

  @Test
  void anUnknownFormatNamesTheFormatsAndHowToChoose() throws Exception {
    Path file = dir.resolve("mystery.json");
    Files.writeString(file, "{\"prompt\": \"hi\", \"completion\": \"there\"}");
    ToolException e = assertThrows(ToolException.class, () -> run(file, detect()));
    assertTrue(e.getMessage().contains("Pass format"), e.getMessage());
    assertTrue(e.getMessage().contains("claude-code:"), e.getMessage());

    ToolException unknown =
        assertThrows(ToolException.class, () -> run(file, new TraceImport.Options("csv", null, null, null)));
    assertTrue(unknown.getMessage().contains("the formats are [canonical"), unknown.getMessage());

    assertThrows(ToolException.class, () -> run(dir.resolve("nope.jsonl"), detect()));
    Files.createDirectories(dir.resolve("empty"));
    assertThrows(ToolException.class, () -> run(dir.resolve("empty"), detect()));
    Path blank = dir.resolve("blank.jsonl");
    Files.writeString(blank, "\n");
    ImportReport nothing = run(blank, detect());
    assertEquals(0, nothing.imported());
    assertTrue(nothing.skipped().get(0).reason().contains("holds no valid JSON record"));
  }

  @Test
  void aGivenFormatOverridesDetectionAndReportsWhatDoesNotFit() throws Exception {
    ImportReport report = run(TraceFixtures.own("openai-mixed.jsonl"), new TraceImport.Options("sharegpt", null, null, null));
    assertEquals(0, report.imported());
    assertEquals(6, report.skippedCount());
    assertTrue(report.skipped().get(0).reason().contains("not a sharegpt conversation: 'conversations' must be an array"),
        report.skipped().get(0).reason());
    assertTrue(report.skipped().get(1).reason().contains("not valid JSON"));
  }
}
