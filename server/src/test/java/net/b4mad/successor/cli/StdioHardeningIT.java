package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What the SDK's stdio transport alone gets wrong, checked on the built jar with raw JSON-RPC lines. */
class StdioHardeningIT {

  @TempDir Path dir;

  @Test
  void aMalformedLineIsAnsweredAndTheSessionGoesOn() throws Exception {
    try (ServerProcess server = ServerProcess.jar("serve", "--workspace", dir.resolve("ws").toString())) {
      server.initialize();

      server.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\""); // cut off
      JsonNode parseError = server.await(m -> m.has("error"), 10_000);
      assertEquals(-32700, parseError.path("error").path("code").asInt());
      assertTrue(parseError.get("id").isNull());

      server.send("[]");
      assertEquals(-32600, server.await(m -> m.has("error"), 10_000).path("error").path("code").asInt());

      server.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
      JsonNode tools = server.response(2, 10_000);
      assertEquals("workspace_info", tools.path("result").path("tools").get(0).path("name").asString());

      server.closeStdin();
      assertTrue(server.waitFor(15_000), "the server should exit when stdin closes");
      assertEquals(0, server.exitValue());
      // Nothing but JSON-RPC went to stdout: logs went to stderr.
      for (String line : server.allStdout) {
        assertEquals("2.0", Json.MAPPER.readTree(line).path("jsonrpc").asString(), line);
      }
      assertFalse(server.stderr.isEmpty(), "logs belong on stderr");
    }
  }

  @Test
  void cancellingALongCallStopsIt() throws Exception {
    try (ServerProcess server = ServerProcess.withSlowTool("--workspace", dir.resolve("ws").toString())) {
      server.initialize();
      long start = System.nanoTime();
      server.send(
          "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"test_sleep\","
              + "\"arguments\":{\"seconds\":60}}}");
      server.awaitStderr("sleeping 60000 ms", 20_000);
      server.send(
          "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7,"
              + "\"reason\":\"user pressed stop\"}}");

      JsonNode response = server.response(7, 20_000);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 30, "the call should stop early, took " + seconds + " s");
      assertTrue(response.path("result").path("isError").asBoolean(), response.toString());
      assertTrue(response.toString().contains("cancelled"), response.toString());

      // The session is still usable, and a fresh call with the same id is not born cancelled.
      server.send(
          "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"test_sleep\","
              + "\"arguments\":{\"seconds\":0.1}}}");
      JsonNode again = server.response(7, 20_000);
      assertTrue(again.path("result").path("structuredContent").path("finished").asBoolean(), again.toString());
    }
  }

  @Test
  void loggingNotificationsHonourSetLevel() throws Exception {
    try (ServerProcess server = ServerProcess.withSlowTool("--workspace", dir.resolve("ws").toString())) {
      server.initialize();
      String call =
          "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"tools/call\",\"params\":{\"name\":\"test_sleep\","
              + "\"arguments\":{\"seconds\":0}}}";

      server.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"error\"}}");
      server.response(1, 10_000);
      server.send(String.format(call, 2));
      server.response(2, 20_000);

      server.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"debug\"}}");
      server.response(3, 10_000);
      server.send(String.format(call, 4));
      server.response(4, 20_000);

      long notifications =
          server.allStdout.stream()
              .map(Json.MAPPER::readTree)
              .filter(m -> "notifications/message".equals(m.path("method").asString(null)))
              .peek(m -> assertEquals("info", m.path("params").path("level").asString()))
              .count();
      assertEquals(1, notifications, "only the call made at debug level should have logged to the client");
    }
  }
}
