package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notifications/cancelled over streamable HTTP reaches the tool call running in the same session. */
class HttpCancellationIT {

  private static final Pattern PORT = Pattern.compile("serving MCP at http://\\S+:(\\d+)/mcp");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpRequest post(int port, String session, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
    }
    return request.build();
  }

  @Test
  void cancellingOverHttpStopsTheCall() throws Exception {
    try (ServerProcess server = ServerProcess.withSlowTool("--http", "0", "--workspace", dir.resolve("ws").toString())) {
      Matcher matcher = PORT.matcher(server.awaitStderr("serving MCP at", 30_000));
      assertTrue(matcher.find());
      int port = Integer.parseInt(matcher.group(1));

      HttpResponse<String> init =
          http.send(
              post(
                  port,
                  null,
                  "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                      + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}"),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, init.statusCode(), init.body());
      String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
      http.send(
          post(port, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
          HttpResponse.BodyHandlers.ofString());

      long start = System.nanoTime();
      CompletableFuture<HttpResponse<String>> call =
          http.sendAsync(
              post(
                  port,
                  session,
                  "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"test_sleep\","
                      + "\"arguments\":{\"seconds\":60}}}"),
              HttpResponse.BodyHandlers.ofString());
      server.awaitStderr("sleeping 60000 ms", 20_000);

      HttpResponse<String> cancel =
          http.send(
              post(
                  port,
                  session,
                  "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":5}}"),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(202, cancel.statusCode());

      HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 30, "the call should stop early, took " + seconds + " s");
      assertTrue(response.body().contains("cancelled"), response.body());
    }
  }
}
