package net.b4mad.successor.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraAdapterTest {

  private static final Path BASE = SharedFixtures.resolve("qwen3-tiny/untied-f32");
  private static final int[] TOKENS = {3, 17, 256, 999, 42, 42, 7, 511, 128};

  @TempDir Path tmp;

  /** Random A and B for every projection of every layer, as PEFT would save them. */
  private Map<String, float[]> writeAdapter(Path dir, LoraConfig config, boolean zeroB, int extraLayer) throws Exception {
    Qwen3Config model = Qwen3Config.read(BASE.resolve("config.json"));
    Map<String, List<Long>> shapes = Qwen3Layout.tensorShapes(model);
    SplittableRandom random = new SplittableRandom(11);
    Map<String, float[]> values = new java.util.LinkedHashMap<>();
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    for (int layer = 0; layer < model.numHiddenLayers() + extraLayer; layer++) {
      for (String name : config.targetModules()) {
        String block = List.of("gate_proj", "up_proj", "down_proj").contains(name) ? "mlp." : "self_attn.";
        String module = "model.layers." + layer + "." + block + name;
        // An extra layer (for the wrong-architecture case) borrows layer 0's shapes.
        List<Long> shape = shapes.get("model.layers.0." + block + name + ".weight");
        long out = shape.get(0);
        long in = shape.get(1);
        float[] a = new float[(int) (config.r() * in)];
        float[] b = new float[(int) (out * config.r())];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
        }
        for (int i = 0; i < b.length && !zeroB; i++) {
          b[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
        }
        values.put(module + ".A", a);
        values.put(module + ".B", b);
        tensors.add(SafetensorsWriter.Tensor.of(LoraConfig.tensorKey(module, "lora_A"), Dtype.F32, a, config.r(), in));
        tensors.add(SafetensorsWriter.Tensor.of(LoraConfig.tensorKey(module, "lora_B"), Dtype.F32, b, out, config.r()));
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(LoraConfig.FILE), Json.writePretty(config.toJson()));
    SafetensorsWriter.writeFile(dir.resolve(LoraAdapter.WEIGHTS_FILE), tensors, SafetensorsWriter.PT_METADATA);
    return values;
  }

  private static LoraConfig config(List<String> targets, boolean rslora) {
    return new LoraConfig(4, 8, 0.05, targets, rslora, "tiny");
  }

  @Test
  void anAdapterGivesTheSameScoresAsTheMergedWeights() throws Exception {
    LoraConfig config = config(LoraConfig.ALL_LINEAR, true);
    Path adapter = tmp.resolve("adapter");
    Map<String, float[]> lora = writeAdapter(adapter, config, false, 0);

    // Merge by hand: W + scale * B A, in double precision.
    Path merged = tmp.resolve("merged");
    Files.createDirectories(merged);
    Files.copy(BASE.resolve("config.json"), merged.resolve("config.json"));
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    try (SafetensorsCheckpoint base = SafetensorsCheckpoint.open(BASE)) {
      for (String name : base.names()) {
        float[] w = base.floats(name);
        long[] shape = base.shape(name);
        String module = name.substring(0, name.length() - ".weight".length());
        if (lora.containsKey(module + ".A")) {
          float[] a = lora.get(module + ".A");
          float[] b = lora.get(module + ".B");
          int out = (int) shape[0];
          int in = (int) shape[1];
          for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
              double delta = 0;
              for (int k = 0; k < config.r(); k++) {
                delta += (double) b[o * config.r() + k] * a[k * in + i];
              }
              w[o * in + i] += (float) (config.scale() * delta);
            }
          }
        }
        tensors.add(SafetensorsWriter.Tensor.of(name, Dtype.F32, w, shape));
      }
    }
    SafetensorsWriter.writeCheckpoint(merged, tensors, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);

    double[] withAdapter;
    double[] base;
    double[] folded;
    try (Qwen3Model model = LoraAdapter.loadModel(BASE, adapter)) {
      withAdapter = model.score(TOKENS);
    }
    try (Qwen3Model model = Qwen3Model.load(BASE)) {
      base = model.score(TOKENS);
    }
    try (Qwen3Model model = Qwen3Model.load(merged)) {
      folded = model.score(TOKENS);
    }
    double largestChange = 0;
    for (int t = 0; t < folded.length; t++) {
      assertEquals(folded[t], withAdapter[t], 1e-4, "position " + t);
      largestChange = Math.max(largestChange, Math.abs(withAdapter[t] - base[t]));
    }
    assertTrue(largestChange > 1e-3, "the adapter should change the scores, changed at most " + largestChange);
  }

  @Test
  void aFreshAdapterWithZeroBLeavesTheModelUnchanged() throws Exception {
    Path adapter = tmp.resolve("fresh");
    writeAdapter(adapter, config(List.of("q_proj", "v_proj"), false), true, 0);
    try (Qwen3Model withAdapter = LoraAdapter.loadModel(BASE, adapter);
        Qwen3Model base = Qwen3Model.load(BASE)) {
      double[] expected = base.score(TOKENS);
      double[] actual = withAdapter.score(TOKENS);
      for (int t = 0; t < expected.length; t++) {
        assertEquals(expected[t], actual[t], 1e-6);
      }
    }
  }

  @Test
  void anAdapterForAnotherArchitectureIsRefused() throws Exception {
    Path adapter = tmp.resolve("deeper");
    writeAdapter(adapter, config(List.of("q_proj"), false), false, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LoraAdapter.loadModel(BASE, adapter));
    assertTrue(e.getMessage().contains("another base model"), e.getMessage());
  }

  @Test
  void unsupportedAdapterConfigsAreRefusedByName() throws Exception {
    for (String[] c :
        new String[][] {
          {"{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"use_dora\": true, \"target_modules\": [\"q_proj\"]}", "DoRA"},
          {"{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, \"target_modules\": [\"lm_head\"]}", "not a Qwen3 projection"},
          {"{\"peft_type\": \"PREFIX_TUNING\"}", "peft_type must be LORA"},
          {"{\"peft_type\": \"LORA\", \"r\": 4, \"target_modules\": [\"q_proj\"], \"modules_to_save\": [\"score\"]}", "cannot be trained in full"}
        }) {
      Path dir = Files.createTempDirectory(tmp, "bad");
      Files.writeString(dir.resolve(LoraConfig.FILE), c[0]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraConfig.read(dir));
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void theConfigRoundTripsInPeftsShape() throws Exception {
    LoraConfig config = config(LoraConfig.ALL_LINEAR, false);
    Files.writeString(tmp.resolve(LoraConfig.FILE), Json.writePretty(config.toJson()));
    assertEquals(config, LoraConfig.read(tmp));
    assertEquals(List.of("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"), config.targetModules());
    assertEquals(2.0, config.scale());
    assertEquals(4.0, config(List.of("q_proj"), true).scale());
    assertEquals("base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight",
        LoraConfig.tensorKey("model.layers.3.self_attn.q_proj", "lora_A"));
  }
}
