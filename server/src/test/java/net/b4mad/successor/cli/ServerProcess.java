package net.b4mad.successor.cli;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/** The built server jar as a child process, spoken to in raw JSON-RPC lines (so tests can send bad ones). */
final class ServerProcess implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("successor.jar", "target/successor.jar"));
  static final Path TEST_CLASSES = Path.of(System.getProperty("successor.testClasses", "target/test-classes"));
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Process process;
  private final OutputStream stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  /** Every stdout line, to check that nothing but protocol went there. */
  final List<String> allStdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();

  private ServerProcess(List<String> command) throws IOException {
    process = new ProcessBuilder(command).start();
    stdin = process.getOutputStream();
    pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
    pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
  }

  /** The MCP SDK's own client, initialized, talking to {@code java -jar successor.jar serve ARGS} over stdio. */
  static McpSyncClient sdkClient(String... serveArgs) {
    return sdkClient(progress -> {}, serveArgs);
  }

  /** {@link #sdkClient(String...)} that hands every progress notification to {@code progress}. */
  static McpSyncClient sdkClient(
      java.util.function.Consumer<io.modelcontextprotocol.spec.McpSchema.ProgressNotification> progress,
      String... serveArgs) {
    List<String> args = new ArrayList<>(List.of("-jar", JAR.toString(), "serve"));
    args.addAll(List.of(serveArgs));
    StdioClientTransport transport =
        new StdioClientTransport(ServerParameters.builder(JAVA).args(args).build(), McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(line -> System.err.println("[server] " + line));
    McpSyncClient client =
        McpClient.sync(transport).requestTimeout(Duration.ofSeconds(600)).progressConsumer(progress).build();
    client.initialize();
    return client;
  }

  /** {@code java -jar successor.jar ARGS}. */
  /**
   * Calls a tool (with a progress token, so that long tools report progress) and fails the test on an error
   * result; returns its structured content.
   */
  static Map<?, ?> call(McpSyncClient client, String tool, Map<String, Object> arguments) {
    CallToolResult result = client.callTool(CallToolRequest.builder().name(tool).arguments(arguments)
        .progressToken(tool + "-" + System.nanoTime()).build());
    if (Boolean.TRUE.equals(result.isError())) {
      throw new AssertionError(tool + ": " + result.content());
    }
    return (Map<?, ?>) result.structuredContent();
  }

  static ServerProcess jar(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new ServerProcess(command);
  }

  /** The jar's classes plus the test-only slow tool: {@link TestServerMain} with ARGS (serve's options). */
  static ServerProcess withSlowTool(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                JAVA, "-cp", JAR + java.io.File.pathSeparator + TEST_CLASSES, TestServerMain.class.getName()));
    command.addAll(List.of(args));
    return new ServerProcess(command);
  }

  private void pump(BufferedReader reader, boolean isStdout) {
    Thread thread =
        new Thread(
            () -> {
              try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                  if (isStdout) {
                    allStdout.add(line);
                    stdout.add(line);
                  } else {
                    stderr.add(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            });
    thread.setDaemon(true);
    thread.start();
  }

  void send(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  void closeStdin() throws IOException {
    stdin.close();
  }

  /** The next stdout message that matches, skipping others; fails after the timeout. */
  JsonNode await(Predicate<JsonNode> wanted, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = stdout.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no matching message within " + timeoutMs + " ms; stderr:\n" + String.join("\n", stderr));
      }
      JsonNode message = Json.MAPPER.readTree(line);
      if (wanted.test(message)) {
        return message;
      }
    }
  }

  JsonNode response(int id, long timeoutMs) throws InterruptedException {
    return await(m -> m.path("id").isInt() && m.path("id").asInt() == id, timeoutMs);
  }

  /** Sends initialize and the initialized notification. */
  void initialize() throws Exception {
    send(
        "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
    response(0, 30_000);
    send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
  }

  boolean waitFor(long timeoutMs) throws InterruptedException {
    return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Waits until a stderr line contains the text; returns that line. */
  String awaitStderr(String text, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      for (String line : stderr) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (!process.isAlive() && stderr.stream().noneMatch(l -> l.contains(text))) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("stderr never said '" + text + "':\n" + String.join("\n", stderr));
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
