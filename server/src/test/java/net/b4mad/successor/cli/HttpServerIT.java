package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar over streamable HTTP: the SDK client, and the requests a hostile web page would send. */
class HttpServerIT {

  private static final Pattern SERVING = Pattern.compile("serving MCP at (http://\\S+):(\\d+)/mcp");
  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}";

  @TempDir Path dir;

  private static int port(ServerProcess server) throws InterruptedException {
    Matcher matcher = SERVING.matcher(server.awaitStderr("serving MCP at", 30_000));
    assertTrue(matcher.find());
    return Integer.parseInt(matcher.group(2));
  }

  private static HttpResponse<String> post(int port, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSdkClientWorksOverHttpAndForeignOriginsAreRefused() throws Exception {
    try (ServerProcess server =
        ServerProcess.jar("serve", "--http", "0", "--workspace", dir.resolve("ws").toString())) {
      int port = port(server);
      McpSyncClient client =
          McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp").build())
              .requestTimeout(Duration.ofSeconds(60))
              .build();
      try {
        client.initialize();
        assertEquals("successor", client.getServerInfo().name());
        assertEquals("workspace_info", client.listTools().tools().get(0).name());
        assertEquals(3, client.listPrompts().prompts().size());
        CallToolResult result =
            client.callTool(new CallToolRequest("workspace_info", Map.of("probe_device", false)));
        assertNotEquals(Boolean.TRUE, result.isError(), () -> result.content().toString());
        assertEquals(0, ((Number) ((Map<?, ?>) ((Map<?, ?>) result.structuredContent()).get("counts")).get("runs")).intValue());
      } finally {
        client.closeGracefully();
      }

      HttpResponse<String> foreign = post(port, INITIALIZE, Map.of("Origin", "https://evil.example"));
      assertEquals(403, foreign.statusCode());
      assertTrue(foreign.body().contains("evil.example"), foreign.body());

      HttpResponse<String> local = post(port, INITIALIZE, Map.of("Origin", "http://localhost:6274"));
      assertEquals(200, local.statusCode(), local.body());

      HttpResponse<String> malformed = post(port, "{\"jsonrpc\":", Map.of());
      assertEquals(400, malformed.statusCode());
      assertTrue(malformed.body().contains("-32700"), malformed.body());

      // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
      try (Socket socket = new Socket("127.0.0.1", port)) {
        OutputStream out = socket.getOutputStream();
        byte[] body = INITIALIZE.getBytes(StandardCharsets.UTF_8);
        out.write(
            ("POST /mcp HTTP/1.1\r\nHost: rebind.evil.example:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status =
            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        assertTrue(status.contains(" 403"), status);
      }
    }
  }

  @Test
  void bindingBeyondLoopbackNeedsAToken() throws Exception {
    try (ServerProcess refused =
        ServerProcess.jar("serve", "--http", "0", "--host", "0.0.0.0", "--workspace", dir.resolve("ws").toString())) {
      assertTrue(refused.waitFor(30_000));
      assertEquals(2, refused.exitValue());
      assertTrue(String.join("\n", refused.stderr).contains("--token"), String.join("\n", refused.stderr));
    }
    try (ServerProcess server =
        ServerProcess.jar(
            "serve", "--http", "0", "--host", "0.0.0.0", "--token", "s3cret", "--workspace",
            dir.resolve("ws").toString())) {
      int port = port(server);
      assertEquals(401, post(port, INITIALIZE, Map.of()).statusCode());
      assertEquals(401, post(port, INITIALIZE, Map.of("Authorization", "Bearer wrong")).statusCode());

      McpSyncClient client =
          McpClient.sync(
                  HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                      .endpoint("/mcp")
                      .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer s3cret"))
                      .build())
              .requestTimeout(Duration.ofSeconds(60))
              .build();
      try {
        client.initialize();
        assertEquals("workspace_info", client.listTools().tools().get(0).name());
      } finally {
        client.closeGracefully();
      }
    }
  }
}
