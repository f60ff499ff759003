package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java -jar successor.jar chat render FILE} prints exactly the reference prompt, byte for byte. */
class ChatRenderIT {

  /** The shared fixtures sit beside the checkout: module folder, then repository, then their common parent. */
  static final Path CHAT_FIXTURES =
      Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures/chat-template");

  @ParameterizedTest
  @ValueSource(strings = {"qwen_docs_vllm_full", "unicode_args", "reasoning_content_field", "system_no_tools"})
  void printsTheRenderedPromptAndNothingElse(String fixture) throws Exception {
    byte[] expected = Files.readAllBytes(CHAT_FIXTURES.resolve(fixture + ".expected.txt"));

    Result result = run("chat", "render", CHAT_FIXTURES.resolve(fixture + ".json").toString());

    assertEquals(0, result.exitCode(), result.stderr());
    assertArrayEquals(expected, result.stdout(), () -> new String(result.stdout(), StandardCharsets.UTF_8));
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.json");

    Result result = run("chat", "render", missing.toString());

    assertEquals(2, result.exitCode());
    assertEquals(0, result.stdout().length);
    assertEquals("successor: no such file: " + missing, result.stderr().strip());
  }

  @Test
  void aMalformedMessageIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"robot\"}]}");

    Result result = run("chat", "render", file.toString());

    assertEquals(2, result.exitCode());
    assertEquals(
        "successor: " + file + ": messages[1]: unknown role 'robot': expected system, user, assistant or tool",
        result.stderr().strip());
  }

  @Test
  void badJsonIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"messages\": [");

    Result result = run("chat", "render", file.toString());

    assertEquals(2, result.exitCode());
    assertTrue(result.stderr().startsWith("successor: " + file + " is not valid JSON: "), result.stderr());
  }

  private record Result(int exitCode, byte[] stdout, String stderr) {}

  private static Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServerProcess.JAVA, "-jar", ServerProcess.JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    // Read stderr on another thread so a full pipe cannot stall the child.
    CompletableFuture<byte[]> stderr =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return process.getErrorStream().readAllBytes();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("successor " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), stdout, new String(stderr.get(), StandardCharsets.UTF_8));
  }
}
