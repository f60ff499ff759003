package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java -jar successor.jar chat render FILE} prints exactly the reference prompt, byte for byte. */
class ChatRenderIT {

  private static final Path CHAT_FIXTURES = JarRun.fixtures("chat-template");

  @ParameterizedTest
  @ValueSource(strings = {"qwen_docs_vllm_full", "unicode_args", "reasoning_content_field", "system_no_tools"})
  void printsTheRenderedPromptAndNothingElse(String fixture) throws Exception {
    byte[] expected = Files.readAllBytes(CHAT_FIXTURES.resolve(fixture + ".expected.txt"));

    JarRun result = JarRun.of("chat", "render", CHAT_FIXTURES.resolve(fixture + ".json").toString());

    assertEquals(0, result.exitCode(), result.stderr());
    assertArrayEquals(expected, result.stdoutBytes(), () -> new String(result.stdoutBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.json");

    JarRun result = JarRun.of("chat", "render", missing.toString());

    assertEquals(2, result.exitCode());
    assertEquals(0, result.stdoutBytes().length);
    assertEquals("successor: no such file: " + missing, result.stderr().strip());
  }

  @Test
  void aMalformedMessageIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"robot\"}]}");

    JarRun result = JarRun.of("chat", "render", file.toString());

    assertEquals(2, result.exitCode());
    assertEquals(
        "successor: " + file + ": messages[1]: unknown role 'robot': expected system, user, assistant or tool",
        result.stderr().strip());
  }

  @Test
  void badJsonIsAClearError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"messages\": [");

    JarRun result = JarRun.of("chat", "render", file.toString());

    assertEquals(2, result.exitCode());
    assertTrue(result.stderr().startsWith("successor: " + file + " is not valid JSON: "), result.stderr());
  }

}
