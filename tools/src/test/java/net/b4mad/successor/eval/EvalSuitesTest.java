package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.b4mad.successor.datasets.DatasetExample;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSuitesTest {

  @TempDir Path dir;
  private Workspace workspace;
  private EvalSuites suites;

  @BeforeEach
  void open() {
    workspace = Workspace.open(dir.resolve("ws"), List.of());
    suites = EvalSuites.of(workspace);
  }

  @Test
  void aCollectionNamesItsSuites() {
    List<Path> files = suites.resolve("b4mad");
    assertEquals(3, files.size(), files.toString());
    assertEquals(List.of(files.get(0)), suites.resolve(suites.name(files.get(0))));
  }

  @Test
  void aDatasetVersionIsItsHeldOutSplit() throws Exception {
    Path version = commit("tools", "0123456789ab", """
        {"messages": [{"role": "user", "content": "Weather in Oslo?"}, {"role": "assistant", "content": null,
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "get_weather",
         "arguments": "{\\"city\\": \\"Oslo\\"}"}}]}], "tools": []}""");

    assertEquals(List.of(version), suites.resolve("tools@0123456789ab"));
    assertEquals(List.of(version), suites.resolve("tools@latest"));
    assertEquals(List.of(version), suites.resolve(version.toString()));
    EvalSuite suite = EvalSettings.load(suites.resolve("tools@latest").get(0));
    assertEquals("tools@0123456789ab held-out", suite.name());
    assertEquals(1, suite.cases().size());
  }

  @Test
  void whatIsNoSuiteIsRefusedWithWhatWouldBe() throws Exception {
    String unknown = assertThrows(ToolException.class, () -> suites.resolve("nothing@latest")).getMessage();
    assertTrue(unknown.contains("looks like a dataset version") && unknown.contains("no dataset named 'nothing'"),
        unknown);
    Path folder = Files.createDirectories(workspace.root().resolve("notes"));
    String bare = assertThrows(ToolException.class, () -> suites.resolve(folder.toString())).getMessage();
    assertTrue(bare.contains("without a held-out split"), bare);
    String missing = assertThrows(ToolException.class, () -> suites.resolve("b4mad/nope")).getMessage();
    assertTrue(missing.contains("neither a suite name"), missing);
  }

  private Path commit(String name, String version, String example) throws Exception {
    DatasetStore store = new DatasetStore(workspace);
    try (DatasetStore.Draft draft = store.draft(name)) {
      draft.writeSplit(DatasetStore.TRAIN, List.of());
      draft.writeSplit(DatasetStore.EVAL, List.of(DatasetExample.fromJson(Json.MAPPER.readTree(example), "e1")));
      draft.commit(version, "{}", Instant.now());
    }
    return store.resolve(name + "@" + version).dir();
  }
}
