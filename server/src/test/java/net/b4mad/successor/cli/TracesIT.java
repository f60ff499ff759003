package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The traces tools in the built jar, driven over stdio by the SDK's client as an agent would. */
class TracesIT {

  @TempDir Path dir;
  McpSyncClient client;
  final Path fixtures = JarRun.fixtures("traces");

  @BeforeEach
  void start() {
    client = ServerProcess.sdkClient("--workspace", dir.resolve("ws").toString(), "--allow-dir", fixtures.toString());
  }

  @AfterEach
  void stop() {
    client.closeGracefully();
  }

  private Map<?, ?> call(String tool, Map<String, Object> arguments) {
    CallToolResult result = client.callTool(new CallToolRequest(tool, arguments));
    assertNotEquals(Boolean.TRUE, result.isError(), () -> result.content().toString());
    return (Map<?, ?>) result.structuredContent();
  }

  @Test
  void importsSearchesAndReadsTraces() {
    Tool importTool = client.listTools().tools().stream().filter(t -> t.name().equals("traces_import")).findFirst().orElseThrow();
    assertEquals(Boolean.FALSE, importTool.annotations().readOnlyHint());
    assertEquals(Boolean.TRUE, importTool.annotations().idempotentHint());
    assertEquals(Boolean.FALSE, importTool.annotations().destructiveHint());

    Map<?, ?> report = call("traces_import", Map.of("path", fixtures.toString(), "tags", List.of("it")));
    assertEquals(97, ((Number) report.get("imported")).intValue(), report.toString());
    assertEquals(5, ((Number) report.get("duplicates")).intValue());
    Map<?, ?> again = call("traces_import", Map.of("path", fixtures.toString()));
    assertEquals(0, ((Number) again.get("imported")).intValue());

    Map<?, ?> found = call("traces_search", Map.of("tool", "Write", "agent", "claude-code"));
    assertEquals(1, ((Number) found.get("count")).intValue());
    Map<?, ?> summary = (Map<?, ?>) ((List<?>) found.get("traces")).get(0);
    assertEquals("Create a hello world function", summary.get("first_user_message"));
    String id = (String) summary.get("id");

    List<McpSchema.ResourceTemplate> templates = client.listResourceTemplates().resourceTemplates();
    assertTrue(templates.stream().anyMatch(t -> t.uriTemplate().equals("successor://traces/{id}")), templates.toString());
    McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest("successor://traces/" + id));
    JsonNode trace = Json.MAPPER.readTree(((McpSchema.TextResourceContents) read.contents().get(0)).text());
    assertEquals(id, trace.get("id").stringValue());
    assertEquals("test-session-id", trace.at("/metadata/session_id").stringValue());
    assertEquals("Write", trace.at("/messages/1/tool_calls/0/name").stringValue());

    Map<?, ?> logged =
        call("traces_log", Map.of("conversation", Map.of("messages", List.of(
            Map.of("role", "user", "content", "ping"), Map.of("role", "assistant", "content", "pong"))), "agent", "it"));
    assertEquals(Boolean.TRUE, logged.get("stored"));
    assertEquals(1, ((Number) call("traces_search", Map.of("agent", "it")).get("count")).intValue());

    // One server start for both: a path outside the allowed directories is a tool error that says the way out.
    CallToolResult outside = client.callTool(new CallToolRequest("traces_import", Map.of("path", dir.toString())));
    assertEquals(Boolean.TRUE, outside.isError());
    assertTrue(outside.content().toString().contains("--allow-dir"), outside.content().toString());
  }
}
