package net.b4mad.successor.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ToolSpecificationsTest {

  private final RequestCancellations cancellations = new RequestCancellations();
  private final ToolSpecifications specifications =
      new ToolSpecifications(McpJsonDefaults.getMapper(), cancellations);

  record Echo(String text, int length) {}

  private static ToolDefinition tool(ToolHandler handler) {
    return new ToolDefinition(
        "echo",
        "Echo",
        "Echoes.",
        "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}",
        "{\"type\":\"object\"}",
        ToolHints.READ_ONLY,
        handler);
  }

  private CallToolResult call(ToolHandler handler, Map<String, Object> meta) {
    ToolDefinition definition = tool(handler);
    return specifications.call(definition, null, new CallToolRequest("echo", Map.of("text", "hi"), meta));
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @Test
  void recordResultsBecomeSnakeCaseStructuredContent() {
    CallToolResult result = call(c -> new Echo(c.string("text", ""), 2), null);
    assertNotEquals(Boolean.TRUE, result.isError());
    assertEquals(Map.of("text", "hi", "length", 2), result.structuredContent());
    assertEquals("{\"text\":\"hi\",\"length\":2}", text(result));
  }

  @Test
  void toolExceptionsBecomeErrorResultsWithTheirMessage() {
    CallToolResult result =
        call(
            c -> {
              throw new ToolException("dataset 'x' does not exist; dataset_list shows the names");
            },
            null);
    assertEquals(Boolean.TRUE, result.isError());
    assertEquals("dataset 'x' does not exist; dataset_list shows the names", text(result));
  }

  @Test
  void unexpectedFailuresAreReportedWithoutKillingTheServer() {
    CallToolResult result =
        call(
            c -> {
              throw new IllegalStateException("boom");
            },
            null);
    assertEquals(Boolean.TRUE, result.isError());
    assertTrue(text(result).contains("internal error (IllegalStateException: boom)"), text(result));
  }

  @Test
  void aCancellationRecordedBeforeTheCallReachesIt() {
    String key = RequestCancellations.key("stdio", "7");
    cancellations.cancel(key);
    AtomicReference<Boolean> seen = new AtomicReference<>();

    CallToolResult result =
        call(
            c -> {
              seen.set(c.context().isCancelled());
              c.context().checkCancelled();
              return new Echo("unreachable", 0);
            },
            Map.of(RequestCancellations.META_KEY, key));

    assertEquals(Boolean.TRUE, seen.get());
    assertEquals(Boolean.TRUE, result.isError());
    assertTrue(text(result).contains("cancelled"), text(result));
    // The finished request's token is released: a new request with the same id starts uncancelled.
    assertEquals(false, cancellations.token(key).isCancelled());
  }
}
