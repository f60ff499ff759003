package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar over stdio, driven by the MCP Java SDK's own client. */
class StdioServerIT {

  @TempDir Path dir;
  McpSyncClient client;
  Path workspace;

  @BeforeEach
  void start() {
    workspace = dir.resolve("ws");
    client = ServerProcess.sdkClient("--workspace", workspace.toString());
  }

  @AfterEach
  void stop() {
    client.closeGracefully();
  }

  @Test
  void listsAndCallsLikeAnAgentWould() {
    assertEquals("successor", client.getServerInfo().name());
    assertNotNull(client.getServerCapabilities().logging());
    assertTrue(client.getServerInstructions().contains("workspace_info"));

    Tool info = client.listTools().tools().stream().filter(t -> t.name().equals("workspace_info")).findFirst().orElseThrow();
    assertEquals(Boolean.TRUE, info.annotations().readOnlyHint());
    assertEquals(Boolean.FALSE, info.annotations().destructiveHint());
    assertNotNull(info.outputSchema());
    assertNotNull(info.title());

    CallToolResult result =
        client.callTool(new CallToolRequest("workspace_info", Map.of("probe_device", false)));
    assertNotEquals(Boolean.TRUE, result.isError(), () -> result.content().toString());
    Map<?, ?> structured = (Map<?, ?>) result.structuredContent();
    assertEquals(workspace.toAbsolutePath().toString(), structured.get("workspace"));
    assertTrue(((Number) structured.get("schema_version")).intValue() >= 2);

    List<String> prompts = client.listPrompts().prompts().stream().map(McpSchema.Prompt::name).sorted().toList();
    assertEquals(List.of("curate-dataset-from-traces", "plan-retraining-run", "review-eval-regression"), prompts);
    McpSchema.GetPromptResult prompt =
        client.getPrompt(new McpSchema.GetPromptRequest("plan-retraining-run", Map.of("goal", "close beads")));
    assertTrue(((McpSchema.TextContent) prompt.messages().get(0).content()).text().contains("Goal: close beads"));

    McpSchema.Resource resource = client.listResources().resources().get(0);
    assertEquals("successor://workspace/info", resource.uri());
    String text = ((McpSchema.TextResourceContents) client.readResource(resource).contents().get(0)).text();
    assertTrue(text.contains("\"schema_version\""), text);
  }

  /** The shaded jar carries the PyTorch native library: the device probe works offline, with no download. */
  @Test
  void probesTheDeviceFromTheBundledNativeLibrary() {
    CallToolResult result = client.callTool(new CallToolRequest("workspace_info", Map.of()));
    Map<?, ?> device = (Map<?, ?>) ((Map<?, ?>) result.structuredContent()).get("device");
    assertEquals(Boolean.TRUE, device.get("available"), () -> String.valueOf(device.get("error")));
    assertEquals("PyTorch", device.get("engine"));
  }

  @Test
  void badArgumentsGetAToolErrorAndTheServerKeepsServing() {
    CallToolResult bad = client.callTool(new CallToolRequest("workspace_info", Map.of("probe_device", "yes")));
    assertEquals(Boolean.TRUE, bad.isError());
    assertTrue(bad.content().toString().contains("probe_device"), bad.content().toString());

    CallToolResult good = client.callTool(new CallToolRequest("workspace_info", Map.of("probe_device", false)));
    assertNotEquals(Boolean.TRUE, good.isError());
  }
}
