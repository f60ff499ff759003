package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code successor model init} run from the built jar. */
class ModelInitIT {

  @TempDir Path dir;

  @Test
  void writesATinyModelAndPrintsASummary() throws Exception {
    Path out = dir.resolve("tiny");
    JarRun run = JarRun.of("model", "init", "--out", out.toString(), "--seed", "1");
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

    JarRun again = JarRun.of("model", "init", "--out", out.toString(), "--seed", "1");
    assertEquals(2, again.exitCode());
    assertTrue(again.stderr().contains("is not empty; pass --force"), again.stderr());
    JarRun forced = JarRun.of("model", "init", "--out", out.toString(), "--seed", "1", "--force", "--dtype", "f32",
        "--tie", "false");
    assertEquals(0, forced.exitCode(), forced.stderr());
    assertEquals("float32", Qwen3Config.read(out.resolve("config.json")).torchDtype());
  }

  @Test
  void sizesTheVocabularyForATokenizer() throws Exception {
    Path tokenizer = JarRun.fixtures("qwen3-tokenizer-8k");
    Path out = dir.resolve("with-tokenizer");
    JarRun run = JarRun.of("model", "init", "--out", out.toString(), "--tokenizer", tokenizer.toString(),
        "--hidden", "16", "--heads", "2", "--kv-heads", "1", "--head-dim", "8", "--intermediate", "32", "--layers", "1");
    assertEquals(0, run.exitCode(), run.stderr());
    Qwen3Config config = Qwen3Config.read(out.resolve("config.json"));
    assertEquals(8282, config.vocabSize());
    assertEquals(List.of(8258), config.eosTokenIds());
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
  }
}
