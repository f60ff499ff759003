package net.b4mad.successor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.RequestCancellations;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class InboundMessageGuardTest {

  private final RequestCancellations cancellations = new RequestCancellations();
  private final InboundMessageGuard guard = new InboundMessageGuard(cancellations);

  private JsonNode reply(String message) {
    InboundMessageGuard.Verdict verdict = guard.inspect("s", message);
    return Json.MAPPER.readTree(assertInstanceOf(InboundMessageGuard.Reply.class, verdict).message());
  }

  @Test
  void malformedJsonIsAParseErrorWithNullId() {
    JsonNode error = reply("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
    assertEquals(-32700, error.path("error").path("code").asInt());
    assertTrue(error.get("id").isNull());
    assertEquals("2.0", error.path("jsonrpc").asString());
  }

  @Test
  void nonObjectsAndWrongVersionsAreInvalidRequests() {
    assertEquals(-32600, reply("[1,2]").path("error").path("code").asInt());
    assertEquals(-32600, reply("42").path("error").path("code").asInt());
    JsonNode wrongVersion = reply("{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}");
    assertEquals(-32600, wrongVersion.path("error").path("code").asInt());
    assertEquals(5, wrongVersion.path("id").asInt(), "the id is echoed when it can be read");
    assertEquals(-32600, reply("{\"jsonrpc\":\"2.0\",\"id\":5}").path("error").path("code").asInt());
    assertEquals(-32600, reply("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":7}").path("error").path("code").asInt());
    assertEquals(-32600, reply("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}").path("error").path("code").asInt());
  }

  @Test
  void ordinaryMessagesPassUnchanged() {
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"ping\"}";
    assertEquals(ping, assertInstanceOf(InboundMessageGuard.Forward.class, guard.inspect("s", ping)).message());
    String response = "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}";
    assertEquals(
        response, assertInstanceOf(InboundMessageGuard.Forward.class, guard.inspect("s", response)).message());
  }

  @Test
  void toolCallsAreTaggedWithTheirCancellationKey() {
    String call =
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"arguments\":{},"
            + "\"_meta\":{\"progressToken\":\"p\"}}}";
    String forwarded = assertInstanceOf(InboundMessageGuard.Forward.class, guard.inspect("s", call)).message();
    JsonNode meta = Json.MAPPER.readTree(forwarded).path("params").path("_meta");
    assertEquals("p", meta.path("progressToken").asString());
    assertEquals(RequestCancellations.key("s", "9"), meta.path(RequestCancellations.META_KEY).asString());
  }

  @Test
  void cancellationsAreConsumedAndReachTheToken() {
    String cancel =
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"r-1\",\"reason\":\"x\"}}";
    assertInstanceOf(InboundMessageGuard.Consumed.class, guard.inspect("s", cancel));
    assertTrue(cancellations.token(RequestCancellations.key("s", "\"r-1\"")).isCancelled());
    // Ids are compared as JSON: the number 1 and the string "1" are different requests.
    assertEquals(false, cancellations.token(RequestCancellations.key("s", "1")).isCancelled());
    assertEquals(false, cancellations.token(RequestCancellations.key("other", "\"r-1\"")).isCancelled());
  }
}
