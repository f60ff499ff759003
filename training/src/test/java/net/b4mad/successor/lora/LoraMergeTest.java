package net.b4mad.successor.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import net.b4mad.successor.safetensors.SafetensorsFile;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraMergeTest {

  private static final Path UNTIED_F32 = SharedFixtures.resolve("qwen3-tiny/untied-f32");
  private static final Path TIED_BF16 = SharedFixtures.resolve("qwen3-tiny/tied-bf16");
  private static final int[] TOKENS = {3, 17, 256, 999, 42, 42, 7, 511, 128};
  private static final long NO_SHARDS = SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES;

  @TempDir Path tmp;

  /**
   * Random, non-zero A and B for the targets of {@code layers} decoder layers, shaped for the model in
   * {@code modelDir} (layers beyond the model's borrow layer 0's shapes), written as PEFT writes an adapter.
   */
  private static Path writeAdapter(Path dir, Path modelDir, LoraConfig config, int layers) throws Exception {
    Map<String, List<Long>> shapes = Qwen3Layout.tensorShapes(Qwen3Config.read(modelDir.resolve("config.json")));
    SplittableRandom random = new SplittableRandom(7);
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    for (int layer = 0; layer < layers; layer++) {
      for (String name : config.targetModules()) {
        String block = List.of("gate_proj", "up_proj", "down_proj").contains(name) ? "mlp." : "self_attn.";
        String module = "model.layers." + layer + "." + block + name;
        List<Long> shape = shapes.get("model.layers.0." + block + name + ".weight");
        long out = shape.get(0);
        long in = shape.get(1);
        float[] a = new float[(int) (config.r() * in)];
        float[] b = new float[(int) (out * config.r())];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
        }
        for (int i = 0; i < b.length; i++) {
          b[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
        }
        tensors.add(SafetensorsWriter.Tensor.of(LoraConfig.tensorKey(module, "lora_A"), Dtype.F32, a, config.r(), in));
        tensors.add(SafetensorsWriter.Tensor.of(LoraConfig.tensorKey(module, "lora_B"), Dtype.F32, b, out, config.r()));
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(LoraConfig.FILE), Json.writePretty(config.toJson()));
    SafetensorsWriter.writeFile(dir.resolve(LoraAdapter.WEIGHTS_FILE), tensors, SafetensorsWriter.PT_METADATA);
    return dir;
  }

  private static double[] score(Path model, Path adapter) {
    try (Qwen3Model loaded = LoraAdapter.loadModel(model, adapter)) {
      return loaded.score(TOKENS);
    }
  }

  private static double largestDifference(double[] x, double[] y) {
    double largest = 0;
    for (int t = 0; t < x.length; t++) {
      largest = Math.max(largest, Math.abs(x[t] - y[t]));
    }
    return largest;
  }

  @Test
  void aMergedF32ModelScoresAsTheBaseWithItsAdapter() throws Exception {
    Path adapter = writeAdapter(tmp.resolve("adapter"), UNTIED_F32, new LoraConfig(4, 8, 0, LoraConfig.ALL_LINEAR, false, "tiny"), 3);
    Path out = tmp.resolve("merged");

    LoraMerge.Merged merged = LoraMerge.merge(UNTIED_F32, adapter, out, null, false, NO_SHARDS);

    assertEquals("F32", merged.dtype(), "the base's torch_dtype is float32");
    assertEquals(3 * 7, merged.mergedModules());
    assertEquals(List.of("config.json", "model.safetensors"), merged.files());
    assertEquals("float32", Json.readTree(out.resolve("config.json")).path("torch_dtype").asString());
    double[] withAdapter = score(UNTIED_F32, adapter);
    double[] folded = score(out, null);
    assertTrue(largestDifference(folded, withAdapter) < 1e-4, "largest difference " + largestDifference(folded, withAdapter));
    assertTrue(largestDifference(withAdapter, score(UNTIED_F32, null)) > 1e-3, "the adapter should change the scores");
  }

  @Test
  void aBf16MergeIsRoundedOnceAndStoredAsBf16() throws Exception {
    LoraConfig config = new LoraConfig(4, 16, 0, List.of("q_proj", "v_proj", "down_proj"), true, "tiny");
    Path adapter = writeAdapter(tmp.resolve("adapter"), TIED_BF16, config, 2);
    Path out = tmp.resolve("merged");

    LoraMerge.Merged merged = LoraMerge.merge(TIED_BF16, adapter, out, null, false, NO_SHARDS);

    assertEquals("BF16", merged.dtype());
    assertEquals("bfloat16", Json.readTree(out.resolve("config.json")).path("torch_dtype").asString());
    String q = "model.layers.1.self_attn.q_proj.weight";
    try (SafetensorsCheckpoint base = SafetensorsCheckpoint.open(TIED_BF16);
        SafetensorsCheckpoint folded = SafetensorsCheckpoint.open(out);
        SafetensorsFile lora = SafetensorsFile.open(adapter.resolve(LoraAdapter.WEIGHTS_FILE))) {
      assertEquals(base.names(), folded.names());
      for (String name : folded.names()) {
        assertEquals(Dtype.BF16, folded.info(name).dtype(), name);
      }
      // untouched tensors survive bf16 -> float32 -> bf16 bit for bit
      assertArrayEquals(base.floats("model.embed_tokens.weight"), folded.floats("model.embed_tokens.weight"));
      // each merged element is W + scale * B A, computed exactly, within bf16 rounding (unit roundoff 2^-8)
      float[] w = base.floats(q);
      float[] m = folded.floats(q);
      float[] a = lora.readFloats(LoraConfig.tensorKey("model.layers.1.self_attn.q_proj", "lora_A"));
      float[] b = lora.readFloats(LoraConfig.tensorKey("model.layers.1.self_attn.q_proj", "lora_B"));
      int in = (int) base.shape(q)[1];
      for (int e = 0; e < w.length; e++) {
        double delta = 0;
        for (int k = 0; k < config.r(); k++) {
          delta += (double) b[(e / in) * config.r() + k] * a[k * in + e % in];
        }
        double exact = w[e] + config.scale() * delta;
        assertTrue(Math.abs(m[e] - exact) <= Math.abs(exact) * 0x1p-8 * 1.0001, "element " + e + ": " + m[e] + " vs " + exact);
      }
    }
    double difference = largestDifference(score(out, null), score(TIED_BF16, adapter));
    assertTrue(difference < 1e-2, "bf16 rounding moved a log-probability by " + difference);
  }

  @Test
  void aShardedBaseGivesAShardedModelWithItsTokenizer() throws Exception {
    TokenizerFiles tokenizer = TokenizerFiles.find(SharedFixtures.resolve("qwen3-tokenizer-8k"));
    Qwen3Config config = new Qwen3Config(tokenizer.vocabSize(), 32, 64, 2, 4, 2, 8, 1e-6, 1e6, false, 40960,
        "bfloat16", null, List.of());
    Path base = tmp.resolve("base");
    RandomQwen3.write(base, config, 3, tokenizer, 200_000);
    assertTrue(Files.isRegularFile(base.resolve(SafetensorsCheckpoint.INDEX_FILE)), "the base should be sharded");
    Path adapter = writeAdapter(tmp.resolve("adapter"), base, new LoraConfig(8, 16, 0, LoraConfig.ALL_LINEAR, false, "b"), 2);
    Path out = tmp.resolve("merged");

    LoraMerge.Merged merged = LoraMerge.merge(base, adapter, out, Dtype.F32, false, 400_000);

    assertTrue(merged.files().contains(SafetensorsCheckpoint.INDEX_FILE), merged.files().toString());
    assertTrue(merged.files().stream().filter(name -> name.matches("model-\\d{5}-of-\\d{5}\\.safetensors")).count() > 1);
    assertTrue(merged.files().containsAll(List.of("tokenizer.json", "generation_config.json")), merged.files().toString());
    assertEquals(Files.readString(base.resolve("tokenizer.json")), Files.readString(out.resolve("tokenizer.json")));
    assertEquals("float32", Json.readTree(out.resolve("config.json")).path("torch_dtype").asString());
    double difference = largestDifference(score(out, null), score(base, adapter));
    assertTrue(difference < 1e-4, "largest difference " + difference);
  }

  @Test
  void aNonEmptyOutputNeedsForceAndTheModelDirectoryIsNeverTheOutput() throws Exception {
    Path adapter = writeAdapter(tmp.resolve("adapter"), UNTIED_F32, new LoraConfig(2, 4, 0, List.of("q_proj"), false, "t"), 3);
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "keep me");

    IllegalArgumentException notEmpty =
        assertThrows(IllegalArgumentException.class, () -> LoraMerge.merge(UNTIED_F32, adapter, out, null, false, NO_SHARDS));
    assertTrue(notEmpty.getMessage().contains("is not empty") && notEmpty.getMessage().contains("--force"),
        notEmpty.getMessage());
    assertEquals(List.of("notes.txt"), list(out));

    LoraMerge.merge(UNTIED_F32, adapter, out, null, true, NO_SHARDS);
    assertEquals(List.of("config.json", "model.safetensors", "notes.txt"), list(out));

    IllegalArgumentException inPlace =
        assertThrows(IllegalArgumentException.class, () -> LoraMerge.merge(out, adapter, out.resolve("."), null, true, NO_SHARDS));
    assertTrue(inPlace.getMessage().contains("is the model directory"), inPlace.getMessage());
  }

  @Test
  void anAdapterForAnotherArchitectureIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path out = tmp.resolve("out");
    Path wider = writeAdapter(tmp.resolve("wider"), TIED_BF16, new LoraConfig(2, 4, 0, List.of("up_proj"), false, "t"), 3);
    IllegalArgumentException shapes =
        assertThrows(IllegalArgumentException.class, () -> LoraMerge.merge(UNTIED_F32, wider, out, null, false, NO_SHARDS));
    assertTrue(shapes.getMessage().contains("does not fit") && shapes.getMessage().contains("another base model"),
        shapes.getMessage());

    Path deeper = writeAdapter(tmp.resolve("deeper"), UNTIED_F32, new LoraConfig(2, 4, 0, List.of("k_proj"), false, "t"), 4);
    IllegalArgumentException unused =
        assertThrows(IllegalArgumentException.class, () -> LoraMerge.merge(UNTIED_F32, deeper, out, null, false, NO_SHARDS));
    assertTrue(unused.getMessage().contains("no place for") && unused.getMessage().contains("layers.3."),
        unused.getMessage());

    Path shallower = writeAdapter(tmp.resolve("shallower"), UNTIED_F32, new LoraConfig(2, 4, 0, List.of("k_proj"), false, "t"), 2);
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> LoraMerge.merge(UNTIED_F32, shallower, out, null, false, NO_SHARDS));
    assertTrue(missing.getMessage().contains("layers.2.self_attn.k_proj.lora_A"), missing.getMessage());
    assertFalse(Files.exists(out));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }
}
