package net.b4mad.successor.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.Map;
import net.b4mad.successor.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an area's {@link ToolDefinition} into the SDK's tool specification, in one place: every tool gets the
 * same error handling (a failure becomes an {@code isError} result with a message for the agent, and the server
 * keeps serving) and the same cancellation wiring.
 */
public final class ToolSpecifications {

  private static final Logger LOG = LoggerFactory.getLogger(ToolSpecifications.class);

  private final McpJsonMapper mapper;
  private final RequestCancellations cancellations;

  public ToolSpecifications(McpJsonMapper mapper, RequestCancellations cancellations) {
    this.mapper = mapper;
    this.cancellations = cancellations;
  }

  public SyncToolSpecification toSpecification(ToolDefinition definition) {
    Tool tool =
        Tool.builder()
            .name(definition.name())
            .title(definition.title())
            .description(definition.description())
            .inputSchema(mapper, definition.inputSchema())
            .outputSchema(mapper, definition.outputSchema())
            .annotations(
                ToolAnnotations.builder()
                    .title(definition.title())
                    .readOnlyHint(definition.hints().readOnly())
                    .destructiveHint(definition.hints().destructive())
                    .idempotentHint(definition.hints().idempotent())
                    .openWorldHint(false)
                    .build())
            .build();
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> call(definition, exchange, request))
        .build();
  }

  CallToolResult call(ToolDefinition definition, McpSyncServerExchange exchange, CallToolRequest request) {
    Map<String, Object> meta = request.meta();
    Object key = meta == null ? null : meta.get(RequestCancellations.META_KEY);
    CancellationToken token = key == null ? new CancellationToken() : cancellations.token(key.toString());
    Object progressToken = meta == null ? null : meta.get("progressToken");
    ToolContext context = new ToolContext(exchange, progressToken, token, definition.name());
    try {
      Map<String, Object> structured = Json.toMap(definition.handler().call(new ToolCall(request.arguments(), context)));
      return CallToolResult.builder().structuredContent(structured).addTextContent(Json.write(structured)).build();
    } catch (ToolCancelledException e) {
      LOG.info("{} cancelled by the client", definition.name());
      return error(definition.name() + " was cancelled by the client before it finished.");
    } catch (ToolException | IllegalArgumentException e) {
      return error(e.getMessage());
    } catch (Exception e) {
      LOG.error("{} failed", definition.name(), e);
      return error(
          definition.name() + " failed with an internal error (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + "). The server log on stderr has the details; the server is still serving.");
    } finally {
      if (key != null) {
        cancellations.release(key.toString());
      }
    }
  }

  private static CallToolResult error(String message) {
    return CallToolResult.builder().isError(true).addTextContent(message).build();
  }
}
