package net.b4mad.successor.mcp;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running tool call may do besides computing its result: notice cancellation, report progress, and
 * log to the server's stderr and to the client as MCP logging notifications (filtered by the level the client
 * set with {@code logging/setLevel}).
 */
public final class ToolContext {

  private static final Logger LOG = LoggerFactory.getLogger("successor.tools");

  private final McpSyncServerExchange exchange;
  private final Object progressToken;
  private final CancellationToken cancellation;
  private final String toolName;

  public ToolContext(
      McpSyncServerExchange exchange, Object progressToken, CancellationToken cancellation, String toolName) {
    this.exchange = exchange;
    this.progressToken = progressToken;
    this.cancellation = cancellation;
    this.toolName = toolName;
  }

  /** A context with no client attached, for calling handlers directly (tests, CLI). */
  public static ToolContext detached(String toolName) {
    return new ToolContext(null, null, new CancellationToken(), toolName);
  }

  public boolean isCancelled() {
    return cancellation.isCancelled();
  }

  /** Throws {@link ToolCancelledException} once the client has cancelled this call. */
  public void checkCancelled() {
    cancellation.throwIfCancelled();
  }

  /** Sends a progress notification when the client asked for progress (sent a progress token). */
  public void progress(double done, Double total, String message) {
    if (exchange == null || progressToken == null) {
      return;
    }
    exchange.progressNotification(new McpSchema.ProgressNotification(progressToken, done, total, message));
  }

  public void log(LoggingLevel level, String message) {
    switch (level) {
      case DEBUG -> LOG.debug("[{}] {}", toolName, message);
      case INFO, NOTICE -> LOG.info("[{}] {}", toolName, message);
      case WARNING -> LOG.warn("[{}] {}", toolName, message);
      default -> LOG.error("[{}] {}", toolName, message);
    }
    if (exchange != null) {
      exchange.loggingNotification(
          McpSchema.LoggingMessageNotification.builder()
              .level(level)
              .logger("successor." + toolName)
              .data(message)
              .build());
    }
  }
}
