package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset tools in the built jar, over stdio, as an agent uses them. */
class DatasetsIT {

  private static final String TOOL =
      "{\"type\": \"function\", \"function\": {\"name\": \"bd_close\", \"description\": \"Close a bead.\","
          + " \"parameters\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\"]}}}";

  @TempDir Path dir;
  McpSyncClient client;
  Path workspace;

  static String example(String bead) {
    return "{\"messages\": [{\"role\": \"user\", \"content\": \"close " + bead + "\"},"
        + " {\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\","
        + " \"function\": {\"name\": \"bd_close\", \"arguments\": {\"id\": \"" + bead + "\"}}}]},"
        + " {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"closed\"},"
        + " {\"role\": \"assistant\", \"content\": \"Closed " + bead + ".\"}], \"tools\": [" + TOOL + "]}";
  }

  @BeforeEach
  void start() throws Exception {
    workspace = dir.resolve("ws");
    Files.createDirectories(workspace);
    Files.write(workspace.resolve("gold.jsonl"), List.of(example("b4-1"), example("b4-2"), example("b4-3")));
    client = ServerProcess.sdkClient("--workspace", workspace.toString());
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
  void buildAddInspectAndReadTheManifest() {
    List<Tool> tools = client.listTools().tools();
    for (String name : List.of("dataset_build", "dataset_add_examples", "dataset_validate", "dataset_stats",
        "dataset_preview", "dataset_list")) {
      Tool tool = tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
      boolean readOnly = !name.equals("dataset_build") && !name.equals("dataset_add_examples");
      assertEquals(readOnly, tool.annotations().readOnlyHint(), name);
    }

    Map<?, ?> added = call("dataset_add_examples", Map.of("name", "gold",
        "examples", List.of(Json.toMap(Json.MAPPER.readTree(example("b4-9"))), Map.of("messages", List.of()))));
    assertEquals(1, added.get("added"));
    assertEquals(1, ((List<?>) added.get("refused")).size());

    Map<?, ?> built = call("dataset_build", Map.of("name", "beads", "include_traces", false,
        "gold_files", List.of(Map.of("path", "gold.jsonl"))));
    assertEquals(3, ((Map<?, ?>) built.get("counts")).get("train"));
    String ref = (String) built.get("ref");

    Map<?, ?> stats = call("dataset_stats", Map.of("dataset", "beads"));
    assertEquals(1.0, ((Number) ((Map<?, ?>) stats.get("stats")).get("bead_operation_share")).doubleValue());

    Map<?, ?> preview = call("dataset_preview", Map.of("dataset", ref, "index", 1));
    String marked = (String) preview.get("marked_text");
    assertTrue(marked.contains("⟦<tool_call>\n{\"name\": \"bd_close\""), marked);

    Map<?, ?> validated = call("dataset_validate", Map.of("dataset", "gold"));
    assertEquals(1, validated.get("valid"));

    List<?> datasets = (List<?>) call("dataset_list", Map.of()).get("datasets");
    assertEquals(List.of("beads", "gold"), datasets.stream().map(d -> ((Map<?, ?>) d).get("name")).toList());

    List<McpSchema.ResourceTemplate> templates = client.listResourceTemplates().resourceTemplates();
    assertTrue(templates.stream().anyMatch(t -> t.uriTemplate().equals("successor://datasets/{name}/{version}/manifest")));
    String version = ref.substring(ref.indexOf('@') + 1);
    McpSchema.ReadResourceResult manifest =
        client.readResource(new McpSchema.ReadResourceRequest("successor://datasets/beads/" + version + "/manifest"));
    String text = ((McpSchema.TextResourceContents) manifest.contents().get(0)).text();
    assertTrue(text.contains("\"version\" : \"" + version + "\""), text);

    CallToolResult outside = client.callTool(new CallToolRequest("dataset_validate", Map.of("file", "/etc/hostname")));
    assertEquals(Boolean.TRUE, outside.isError());
    assertTrue(outside.content().toString().contains("outside the allowed directories"), outside.content().toString());
  }
}
