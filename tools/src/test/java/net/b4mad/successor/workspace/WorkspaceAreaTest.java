package net.b4mad.successor.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceAreaTest {

  @TempDir Path dir;

  @Test
  void reportsCountsPathsAndDisk() throws Exception {
    Workspace workspace = Workspace.open(dir.resolve("ws"), List.of());
    workspace.store().write(
        c -> {
          try (var insert =
              c.prepareStatement(
                  "INSERT INTO traces (id, content_hash, created_at, record) VALUES (?, ?, '2026-11-24', '{}')")) {
            for (int i = 0; i < 3; i++) {
              insert.setString(1, "t" + i);
              insert.setString(2, "h" + i);
              insert.executeUpdate();
            }
          }
          return null;
        });
    ToolDefinition info = new WorkspaceArea(workspace).tools().get(0);

    Object result =
        info.handler().call(new ToolCall(Map.of("probe_device", false), ToolContext.detached("workspace_info")));
    Map<String, Object> json = Json.toMap(result);

    assertEquals(workspace.root().toString(), json.get("workspace"));
    assertEquals("{traces=3, datasets=0, runs=0, evals=0, models=0}", json.get("counts").toString());
    assertNull(json.get("device"));
    assertTrue(((Number) ((Map<?, ?>) json.get("disk")).get("free_bytes")).longValue() > 0);
    assertEquals(List.of(workspace.root().toString()), json.get("allowed_roots"));
    for (String folder : List.of("datasets", "runs", "evals", "models", "traces")) {
      assertTrue(Files.isDirectory(workspace.root().resolve(folder)), folder);
    }
  }

  @Test
  void humanBytes() {
    assertEquals("512 B", WorkspaceArea.humanBytes(512));
    assertEquals("1.5 KiB", WorkspaceArea.humanBytes(1536));
    assertEquals("24.0 GiB", WorkspaceArea.humanBytes(24L << 30));
  }
}
