package net.b4mad.successor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.b4mad.successor.mcp.RequestCancellations;
import org.junit.jupiter.api.Test;

class StdioGuardTest {

  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}";
  private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

  private final PipedOutputStream client = new PipedOutputStream();
  private final List<String> events = new CopyOnWriteArrayList<>();

  private StdioGuard guard() throws Exception {
    return new StdioGuard(
        new PipedInputStream(client), new ByteArrayOutputStream(), new InboundMessageGuard(new RequestCancellations()));
  }

  private void send(String line) throws Exception {
    client.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    client.flush();
  }

  @Test
  void theSetUpRunsAfterInitializeIsPassedOnAndBeforeTheNextMessage() throws Exception {
    StdioGuard guard = guard();
    BufferedReader server = new BufferedReader(new InputStreamReader(guard.serverInput(), StandardCharsets.UTF_8));
    guard.start(() -> events.add("set-up"));

    send(INITIALIZE);
    assertEquals(INITIALIZE, server.readLine());
    assertEquals(List.of(), events, "initialize reaches the SDK without waiting for the set-up");

    send(INITIALIZED);
    assertEquals(INITIALIZED, server.readLine());
    assertEquals(List.of("set-up"), events);

    send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
    server.readLine();
    assertEquals(List.of("set-up"), events, "the set-up runs once");
    client.close();
    guard.awaitEndOfInput();
  }

  @Test
  void aFailedSetUpEndsTheSessionAndIsRethrown() throws Exception {
    StdioGuard guard = guard();
    BufferedReader server = new BufferedReader(new InputStreamReader(guard.serverInput(), StandardCharsets.UTF_8));
    IllegalStateException failure = new IllegalStateException("a bundled prompt is malformed");
    guard.start(() -> {
      throw failure;
    });

    send(INITIALIZE);
    assertEquals(INITIALIZE, server.readLine());
    send(INITIALIZED);
    assertNull(server.readLine(), "nothing after the failure reaches the SDK");
    assertSame(failure, assertThrows(IllegalStateException.class, guard::awaitEndOfInput));
  }
}
