package net.b4mad.successor.qwen3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RandomQwen3Test {

  static final long ONE_FILE = SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES;

  @TempDir Path dir;

  static Qwen3Config tiny(int vocab, boolean tied, String dtype, Integer bos, List<Integer> eos) {
    return new Qwen3Config(vocab, 64, 128, 2, 4, 2, 32, 1e-6, 1e6, tied, 40960, dtype, bos, eos);
  }

  @Test
  void aSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
    Qwen3Config config = tiny(1024, true, "bfloat16", null, List.of());
    RandomQwen3.Written first = RandomQwen3.write(dir.resolve("a"), config, 42, null, ONE_FILE);
    RandomQwen3.Written second = RandomQwen3.write(dir.resolve("b"), config, 42, null, ONE_FILE);
    RandomQwen3.write(dir.resolve("c"), config, 43, null, ONE_FILE);
    assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), first.files());
    assertEquals(first.bytes(), second.bytes());
    for (String file : first.files()) {
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(file)),
          Files.readAllBytes(dir.resolve("b").resolve(file)), file);
    }
    assertFalse(Arrays.equals(Files.readAllBytes(dir.resolve("a/model.safetensors")),
        Files.readAllBytes(dir.resolve("c/model.safetensors"))));
  }

  @Test
  void aTiedBf16ModelReadsBackInQwen3Layout() {
    Qwen3Config config = tiny(1024, true, "bfloat16", 151643, List.of(151645));
    RandomQwen3.Written written = RandomQwen3.write(dir, config, 1, null, ONE_FILE);
    assertEquals(Qwen3Layout.parameterCount(config), written.parameters());
    assertEquals(config, Qwen3Config.read(dir.resolve("config.json")));
    assertReadsBack(config, Dtype.BF16);
  }

  @Test
  void anUntiedF32ModelReadsBackInQwen3Layout() throws IOException {
    Qwen3Config config = tiny(512, false, "float32", null, List.of(7, 8));
    RandomQwen3.write(dir, config, 1, null, ONE_FILE);
    assertEquals(config, Qwen3Config.read(dir.resolve("config.json")));
    assertReadsBack(config, Dtype.F32);
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
      assertFalse(Arrays.equals(checkpoint.floats("lm_head.weight"), checkpoint.floats("model.embed_tokens.weight")),
          "each tensor draws from its own seed");
    }
    JsonNode generation = Json.MAPPER.readTree(Files.readString(dir.resolve("generation_config.json")));
    assertEquals(2, generation.path("eos_token_id").size());
    assertTrue(generation.path("bos_token_id").isMissingNode());
  }

  private void assertReadsBack(Qwen3Config config, Dtype dtype) {
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
      Map<String, List<Long>> shapes = Qwen3Layout.tensorShapes(config);
      assertEquals(shapes.keySet(), checkpoint.names());
      for (Map.Entry<String, List<Long>> entry : shapes.entrySet()) {
        String name = entry.getKey();
        assertEquals(entry.getValue(), checkpoint.info(name).shape(), name);
        assertEquals(dtype, checkpoint.info(name).dtype(), name);
        float[] values = checkpoint.floats(name);
        if (name.endsWith("norm.weight")) {
          for (float value : values) {
            assertEquals(1f, value, name);
          }
        } else {
          double mean = Arrays.stream(toDoubles(values)).average().orElseThrow();
          double std = Math.sqrt(Arrays.stream(toDoubles(values)).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
          assertEquals(0, mean, 0.002, name);
          assertEquals(RandomQwen3.INITIALIZER_RANGE, std, 0.002, name);
        }
      }
    }
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }

  @Test
  void shardsWhenTheWeightsExceedTheLimit() {
    Qwen3Config config = tiny(1024, true, "bfloat16", null, List.of());
    RandomQwen3.Written written = RandomQwen3.write(dir, config, 1, null, 100_000);
    assertTrue(written.files().contains("model.safetensors.index.json"), written.files().toString());
    // the 128 KiB embedding fills a shard alone; the other 196 KiB need two more
    assertTrue(written.files().contains("model-00003-of-00003.safetensors"), written.files().toString());
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
      assertEquals(Qwen3Layout.tensorShapes(config).keySet(), checkpoint.names());
    }
  }

  @Test
  void copiesTheTokenizerFiles() throws IOException {
    Path source = dir.resolve("tokenizer");
    Files.createDirectories(source);
    Files.copy(SharedFixtures.resolve("qwen3-tokenizer-8k/tokenizer.json"), source.resolve("tokenizer.json"));
    Files.copy(SharedFixtures.resolve("qwen3-tokenizer/tokenizer_config.json"), source.resolve("tokenizer_config.json"));
    TokenizerFiles tokenizer = TokenizerFiles.find(source);
    assertEquals(8256 + 26, tokenizer.vocabSize());

    Path out = dir.resolve("model");
    Qwen3Config config = new Qwen3Config(tokenizer.vocabSize(), 16, 32, 1, 2, 1, 8, 1e-6, 1e6, true, 40960,
        "bfloat16", tokenizer.addedTokenId("<|endoftext|>"), List.of(tokenizer.addedTokenId("<|im_end|>")));
    RandomQwen3.Written written = RandomQwen3.write(out, config, 1, tokenizer, ONE_FILE);
    assertEquals(List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
        "tokenizer_config.json"), written.files());
    assertArrayEquals(
        Files.readAllBytes(source.resolve("tokenizer.json")), Files.readAllBytes(out.resolve("tokenizer.json")));
    JsonNode generation = Json.MAPPER.readTree(Files.readString(out.resolve("generation_config.json")));
    assertEquals(8256, generation.path("bos_token_id").asInt());
    assertEquals(8258, generation.path("eos_token_id").asInt());

    Qwen3Config tooSmall = tiny(8000, true, "bfloat16", null, List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RandomQwen3.write(dir.resolve("small"), tooSmall, 1, tokenizer, ONE_FILE));
    assertTrue(e.getMessage().contains("vocab_size 8000 is smaller than the tokenizer's 8282 token ids"), e.getMessage());
  }

  @Test
  void findsTheFullQwenTokenizerAndItsConfig() {
    TokenizerFiles tokenizer = TokenizerFiles.find(SharedFixtures.resolve("qwen3-tokenizer/tokenizer.json"));
    assertEquals(151669, tokenizer.vocabSize());
    assertEquals(151645, tokenizer.addedTokenId("<|im_end|>"));
    assertEquals(SharedFixtures.resolve("qwen3-tokenizer/tokenizer_config.json"), tokenizer.tokenizerConfig());
    assertNull(TokenizerFiles.find(SharedFixtures.resolve("qwen3-tokenizer-8k")).tokenizerConfig());
  }

  @Test
  void refusesOtherDtypes() {
    Qwen3Config config = tiny(64, true, "float16", null, List.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomQwen3.tensors(config, 1));
    assertTrue(e.getMessage().contains("can initialise bfloat16 or float32"), e.getMessage());
  }
}
