package net.b4mad.successor.transport;

import static io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INVALID_REQUEST;
import static io.modelcontextprotocol.spec.McpSchema.ErrorCodes.PARSE_ERROR;
import static net.b4mad.successor.json.Json.MAPPER;

import net.b4mad.successor.mcp.RequestCancellations;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Looks at every message a client sends before the MCP SDK does. The SDK (2.1.0) ends a stdio session on one
 * malformed line and ignores {@code notifications/cancelled}; here a malformed message is answered with a
 * JSON-RPC error and dropped, a cancellation is recorded for the running tool call, and each
 * {@code tools/call} is tagged with the key its cancellation would carry.
 */
public final class InboundMessageGuard {

  /** What to do with one inbound message. */
  public sealed interface Verdict permits Forward, Reply, Consumed {}

  /** Pass this text on to the SDK. */
  public record Forward(String message) implements Verdict {}

  /** Do not pass it on; answer the client with this JSON-RPC error instead. */
  public record Reply(String message) implements Verdict {}

  /** Handled here; nothing to forward or answer. */
  public record Consumed() implements Verdict {}

  private final RequestCancellations cancellations;

  public InboundMessageGuard(RequestCancellations cancellations) {
    this.cancellations = cancellations;
  }

  /**
   * @param session identifies the client session (stdio has one; HTTP sends {@code Mcp-Session-Id})
   * @param text one JSON-RPC message
   */
  public Verdict inspect(String session, String text) {
    JsonNode message;
    try {
      message = MAPPER.readTree(text);
    } catch (JacksonException e) {
      return new Reply(
          error(
              null,
              PARSE_ERROR,
              "Parse error: the message is not valid JSON (" + e.getOriginalMessage()
                  + "). Send one complete JSON-RPC 2.0 object per line."));
    }
    if (message == null || !message.isObject()) {
      return new Reply(
          error(null, INVALID_REQUEST, "Invalid Request: a message must be one JSON-RPC 2.0 object (batches are not supported)."));
    }
    JsonNode id = message.get("id");
    if (!"2.0".equals(message.path("jsonrpc").asString(null))) {
      return new Reply(error(id, INVALID_REQUEST, "Invalid Request: \"jsonrpc\" must be \"2.0\"."));
    }
    JsonNode method = message.get("method");
    if (method == null) {
      if (id != null && (message.has("result") || message.has("error"))) {
        return new Forward(text); // a response to a request of ours (sampling, roots, elicitation)
      }
      return new Reply(error(id, INVALID_REQUEST, "Invalid Request: the message has neither \"method\" nor \"result\"/\"error\"."));
    }
    if (!method.isString()) {
      return new Reply(error(id, INVALID_REQUEST, "Invalid Request: \"method\" must be a string."));
    }
    if (id != null && !(id.isString() || id.isIntegralNumber())) {
      return new Reply(error(null, INVALID_REQUEST, "Invalid Request: \"id\" must be a string or an integer."));
    }
    switch (method.stringValue()) {
      case "notifications/cancelled" -> {
        JsonNode requestId = message.path("params").get("requestId");
        if (requestId != null) {
          cancellations.cancel(RequestCancellations.key(session, requestId.toString()));
        }
        return new Consumed();
      }
      case "tools/call" -> {
        if (id == null || !message.path("params").isObject()) {
          return new Forward(text);
        }
        ObjectNode params = (ObjectNode) message.get("params");
        JsonNode meta = params.get("_meta");
        ObjectNode tagged = meta != null && meta.isObject() ? (ObjectNode) meta : params.putObject("_meta");
        tagged.put(RequestCancellations.META_KEY, RequestCancellations.key(session, id.toString()));
        return new Forward(MAPPER.writeValueAsString(message));
      }
      default -> {
        return new Forward(text);
      }
    }
  }

  static String error(JsonNode id, int code, String text) {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
    ObjectNode error = response.putObject("error");
    error.put("code", code);
    error.put("message", text);
    return MAPPER.writeValueAsString(response);
  }
}
