package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code successor model init} run from the built jar. */
class ModelInitIT {

  @TempDir Path dir;

  record Run(int exitCode, String stdout, String stderr) {}

  @Test
  void writesATinyModelAndPrintsASummary() throws Exception {
    Path out = dir.resolve("tiny");
    Run run = successor("model", "init", "--out", out.toString(), "--seed", "1");
    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode summary = Json.MAPPER.readTree(run.stdout());
    assertEquals(out.toString(), summary.path("directory").asString());
    assertTrue(summary.path("parameters").asLong() > 0, run.stdout());
    long bytes = 0;
    for (JsonNode file : summary.path("files")) {
      assertTrue(Files.isRegularFile(out.resolve(file.asString())), file.asString());
      bytes += Files.size(out.resolve(file.asString()));
    }
    assertEquals(bytes, summary.path("bytes").asLong());
    for (String file : List.of("config.json", "generation_config.json", "model.safetensors")) {
      assertTrue(Files.isRegularFile(out.resolve(file)), file);
    }
    Qwen3Config config = Qwen3Config.read(out.resolve("config.json"));
    assertEquals(1024, config.vocabSize());
    assertTrue(config.tieWordEmbeddings());
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(out)) {
      assertTrue(checkpoint.contains("model.layers.1.self_attn.q_norm.weight"));
    }

    Run again = successor("model", "init", "--out", out.toString(), "--seed", "1");
    assertEquals(2, again.exitCode());
    assertTrue(again.stderr().contains("is not empty; pass --force"), again.stderr());
    Run forced = successor("model", "init", "--out", out.toString(), "--seed", "1", "--force", "--dtype", "f32",
        "--tie", "false");
    assertEquals(0, forced.exitCode(), forced.stderr());
    assertEquals("float32", Qwen3Config.read(out.resolve("config.json")).torchDtype());
  }

  @Test
  void sizesTheVocabularyForATokenizer() throws Exception {
    // failsafe runs in server/; the repository's parent holds shared/, here and in CI
    Path tokenizer = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures/qwen3-tokenizer-8k");
    Path out = dir.resolve("with-tokenizer");
    Run run = successor("model", "init", "--out", out.toString(), "--tokenizer", tokenizer.toString(),
        "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--head-dim", "8", "--intermediate", "32", "--layers", "1");
    assertEquals(0, run.exitCode(), run.stderr());
    Qwen3Config config = Qwen3Config.read(out.resolve("config.json"));
    assertEquals(8282, config.vocabSize());
    assertEquals(List.of(8258), config.eosTokenIds());
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
  }

  private Run successor(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ServerProcess.JAVA, "-jar", ServerProcess.JAR.toString()));
    command.addAll(List.of(args));
    Path stdout = Files.createTempFile(dir, "stdout", ".txt");
    Path stderr = Files.createTempFile(dir, "stderr", ".txt");
    Process process = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("successor " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
