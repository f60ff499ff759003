package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The bead tools in the built jar with the embedded store, and the issues.jsonl line they leave for bd. */
class BeadsIT {

  @TempDir Path dir;
  McpSyncClient client;
  Path repo;

  @BeforeEach
  void start() throws Exception {
    repo = Files.createDirectories(dir.resolve("project"));
    client = ServerProcess.sdkClient("--workspace", dir.resolve("ws").toString(), "--beads", "embedded",
        "--beads-dir", repo.toString());
  }

  @AfterEach
  void stop() {
    client.closeGracefully();
  }

  private Map<?, ?> call(String tool, Map<String, Object> arguments) {
    CallToolResult result = client.callTool(new CallToolRequest(tool, arguments));
    assertNotEquals(Boolean.TRUE, result.isError(), () -> tool + ": " + result.content());
    return (Map<?, ?>) result.structuredContent();
  }

  @Test
  void tracksARunInBeadsJsonThatBdCanImport() throws Exception {
    List<Tool> tools = client.listTools().tools();
    for (String name : List.of("bead_create", "bead_update", "bead_close", "beads_list", "beads_ready", "bead_show",
        "bead_dep_add")) {
      Tool tool = tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
      assertEquals(name.startsWith("beads_") || name.equals("bead_show"), tool.annotations().readOnlyHint(), name);
    }

    String id = (String) call("bead_create", Map.of("title", "SFT run: tools-v3", "priority", 1,
        "labels", List.of("sft"))).get("id");
    assertTrue(id.matches("project-[0-9a-z]{4}"), id);
    call("bead_update", Map.of("id", id, "status", "in_progress", "notes", "step 100: loss 1.92"));
    assertEquals(0, ((Number) call("beads_ready", Map.of()).get("count")).intValue());
    Map<?, ?> closed = call("bead_close", Map.of("id", id, "reason", "trained"));
    assertEquals("closed", closed.get("status"));

    List<String> lines = Files.readAllLines(repo.resolve(".beads/issues.jsonl"));
    assertEquals(1, lines.size());
    JsonNode issue = Json.MAPPER.readTree(lines.get(0));
    Set<String> keys = new TreeSet<>();
    issue.propertyNames().forEach(keys::add);
    assertEquals(Set.of("id", "title", "notes", "status", "priority", "issue_type", "labels", "created_at", "updated_at",
        "closed_at", "close_reason"), keys);
    assertEquals(id, issue.get("id").stringValue());
    assertEquals("closed", issue.get("status").stringValue());
    assertEquals(1, issue.get("priority").intValue());
    assertEquals("task", issue.get("issue_type").stringValue());
    assertEquals("step 100: loss 1.92", issue.get("notes").stringValue());
    assertEquals("trained", issue.get("close_reason").stringValue());
    for (String time : List.of("created_at", "updated_at", "closed_at")) {
      OffsetDateTime.parse(issue.get(time).stringValue());
    }

    CallToolResult unknown = client.callTool(new CallToolRequest("bead_show", Map.of("id", "project-zzzz")));
    assertEquals(Boolean.TRUE, unknown.isError());
    assertTrue(unknown.content().toString().contains("beads_list"), unknown.content().toString());
  }
}
