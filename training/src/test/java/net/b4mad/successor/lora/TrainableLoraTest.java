package net.b4mad.successor.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.safetensors.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class TrainableLoraTest {

  private static final Path BASE = SharedFixtures.resolve("qwen3-tiny/tied-bf16");
  private static final int[] TOKENS = {3, 17, 256, 999, 42, 42, 7, 511, 128};
  private static final LoraConfig CONFIG =
      new LoraConfig(8, 16, 0.05, List.of("q_proj", "v_proj", "down_proj"), false, "Qwen/Qwen3-tiny");

  @TempDir Path tmp;

  @Test
  void aFreshAdapterLeavesTheBaseOutputsUnchanged() {
    double[] base;
    try (Qwen3Model model = Qwen3Model.load(BASE)) {
      base = model.score(TOKENS);
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(CONFIG, 1, manager);
      try (Qwen3Model model = Qwen3Model.load(BASE, manager, lora)) {
        assertArrayEquals(base, model.score(TOKENS), 0.0);
        // A is Kaiming-uniform with bound 1/sqrt(in), B is zero
        NDArray a = lora.parameters().get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
        NDArray b = lora.parameters().get("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight");
        double bound = 1 / Math.sqrt(a.getShape().get(1));
        float max = a.abs().max().getFloat();
        assertTrue(max <= bound && max > 0.8 * bound, "A within ±" + bound + ", max " + max);
        assertEquals(0f, b.abs().max().getFloat());
        assertEquals(2 * 3 * 2, lora.parameters().size(), "A and B for 3 targets in 2 layers");
      }
    }
  }

  /** What training holds in memory and what PEFT-format loading reads back compute the same outputs. */
  @Test
  void aSavedAdapterLoadsWithIdenticalOutputs() {
    Path dir = tmp.resolve("adapter");
    double[] trained;
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(CONFIG, 1, manager);
      try (Qwen3Model model = Qwen3Model.load(BASE, manager, lora)) {
        lora.parameters().forEach((key, p) ->
            p.set(manager.randomNormal(0, 0.05f, p.getShape(), p.getDataType()).toFloatArray()));
        trained = model.score(TOKENS);
        lora.saveAtomically(dir);
      }
    }
    try (Qwen3Model loaded = LoraAdapter.loadModel(BASE, dir)) {
      assertArrayEquals(trained, loaded.score(TOKENS), 1e-6);
    }
    JsonNode config = Json.readTree(dir.resolve(LoraConfig.FILE));
    assertEquals("LORA", config.get("peft_type").asString());
    assertEquals("CAUSAL_LM", config.get("task_type").asString());
    assertEquals(8, config.get("r").asInt());
    assertEquals("Qwen/Qwen3-tiny", config.get("base_model_name_or_path").asString());
    try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve(LoraAdapter.WEIGHTS_FILE))) {
      assertEquals(List.of(8L, 64L),
          weights.info("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight").shape());
      assertEquals(List.of(64L, 8L),
          weights.info("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight").shape());
      assertEquals("pt", weights.metadata().get("format"));
    }
  }

  @Test
  void continuingFromAnAdapterOfAnotherRankIsRefused() {
    Path dir = tmp.resolve("adapter");
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(CONFIG, 1, manager);
      try (Qwen3Model model = Qwen3Model.load(BASE, manager, lora)) {
        lora.save(dir);
      }
    }
    LoraConfig rank4 = new LoraConfig(4, 8, 0, CONFIG.targetModules(), false, null);
    NDManager manager = NDManager.newBaseManager();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Qwen3Model.load(BASE, manager, TrainableLora.from(dir, rank4, manager)).close());
    assertTrue(e.getMessage().contains("expected [4, 64] for rank 4"), e.getMessage());
  }

  /**
   * modules_to_save: the LM head of a tied model trained in full beside the LoRA matrices. It starts as the base's
   * embedding, gets gradients, saves under PEFT's key, reloads identically and merges into an untied model.
   */
  @Test
  void aFullyTrainedHeadSavesLoadsAndMergesAsPeftDoes() throws Exception {
    LoraConfig config = new LoraConfig(4, 8, 0, List.of("q_proj"), false, null, List.of("lm_head"));
    Path dir = tmp.resolve("adapter");
    double[] base;
    try (Qwen3Model model = Qwen3Model.load(BASE)) {
      base = model.score(TOKENS);
    }
    double[] trained;
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(config, 1, manager);
      try (Qwen3Model model = Qwen3Model.load(BASE, manager, lora, lora::fullTensor)) {
        assertArrayEquals(base, model.score(TOKENS), 0.0, "a fresh copy of the head changes nothing");
        NDArray head = lora.parameters().get("base_model.model.lm_head.weight");
        assertEquals(List.of(1024L, 64L), java.util.Arrays.stream(head.getShape().getShape()).boxed().toList());
        try (NDManager step = manager.newSubManager();
            ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
          collector.backward(model.forward(step, new int[][] {TOKENS}, null, null).logSoftmax(-1).get(0, 3, 17).neg());
        }
        try (NDManager scratch = manager.newSubManager()) {
          assertTrue(net.b4mad.successor.optim.Gradients.of(head, scratch).abs().sum().getFloat() > 0, "the head learns");
        }
        head.set(head.add(manager.randomNormal(0, 0.05f, head.getShape(), head.getDataType())).toFloatArray());
        trained = model.score(TOKENS);
        lora.saveAtomically(dir);
      }
    }
    assertTrue(Math.abs(trained[2] - base[2]) > 1e-3, "the changed head changes the scores");
    JsonNode saved = Json.readTree(dir.resolve(LoraConfig.FILE));
    assertEquals("lm_head", saved.get("modules_to_save").get(0).asString());
    try (Qwen3Model loaded = LoraAdapter.loadModel(BASE, dir)) {
      assertArrayEquals(trained, loaded.score(TOKENS), 1e-6);
    }
    Path merged = tmp.resolve("merged");
    LoraMerge.merge(BASE, dir, merged, net.b4mad.successor.safetensors.Dtype.F32, false,
        net.b4mad.successor.safetensors.SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    assertEquals(false, Json.readTree(merged.resolve("config.json")).get("tie_word_embeddings").asBoolean());
    try (Qwen3Model folded = Qwen3Model.load(merged)) {
      assertArrayEquals(trained, folded.score(TOKENS), 1e-4);
    }
  }

  /**
   * A full fine-tune: every module in modules_to_save and no LoRA target. Every checkpoint tensor (the tied head as
   * a copy of its own) becomes trainable and gets a gradient, and the adapter saves, reloads and merges to the
   * model it trained.
   */
  @Test
  void everyModuleSavedIsAFullFineTune() throws Exception {
    LoraConfig config = new LoraConfig(8, 16, 0, List.of(), false, null, LoraConfig.EVERY_MODULE);
    Path dir = tmp.resolve("full");
    double[] trained;
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(config, 1, manager);
      try (Qwen3Model model = Qwen3Model.load(BASE, manager, lora, lora::fullTensor)) {
        java.util.Map<String, List<Long>> shapes = net.b4mad.successor.qwen3.Qwen3Layout.tensorShapes(model.config());
        java.util.Set<String> expected = new java.util.TreeSet<>();
        shapes.keySet().forEach(name -> expected.add(LoraConfig.savedKey(name)));
        expected.add(LoraConfig.savedKey(Qwen3Model.LM_HEAD));
        assertEquals(expected, new java.util.TreeSet<>(lora.parameters().keySet()));
        try (NDManager step = manager.newSubManager();
            ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
          collector.backward(model.forward(step, new int[][] {TOKENS}, null, null).logSoftmax(-1).get(0, 3, 17).neg());
        }
        try (NDManager scratch = manager.newSubManager()) {
          lora.parameters().forEach((key, parameter) -> assertTrue(
              net.b4mad.successor.optim.Gradients.of(parameter, scratch).abs().sum().getFloat() > 0, key + " learns"));
        }
        for (NDArray parameter : lora.parameters().values()) {
          parameter.set(parameter.add(manager.randomNormal(0, 0.02f, parameter.getShape(), parameter.getDataType()))
              .toFloatArray());
        }
        trained = model.score(TOKENS);
        lora.saveAtomically(dir);
      }
    }
    try (Qwen3Model loaded = LoraAdapter.loadModel(BASE, dir)) {
      assertArrayEquals(trained, loaded.score(TOKENS), 1e-6);
    }
    Path merged = tmp.resolve("merged-full");
    LoraMerge.merge(BASE, dir, merged, net.b4mad.successor.safetensors.Dtype.F32, false,
        net.b4mad.successor.safetensors.SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    try (Qwen3Model folded = Qwen3Model.load(merged)) {
      assertArrayEquals(trained, folded.score(TOKENS), 1e-4);
    }
  }

  @Test
  void aModuleIsEitherALoraTargetOrTrainedInFull() {
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> new LoraConfig(8, 16, 0, List.of("q_proj"), false, null, List.of("q_proj")));
    assertTrue(both.getMessage().contains("both a LoRA target and trained in full"), both.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LoraConfig(8, 16, 0, List.of(), false, null, List.of()));
    LoraConfig norms = new LoraConfig(8, 16, 0, List.of("q_proj"), false, null, List.of("norm"));
    assertTrue(norms.saves("model.norm.weight") && norms.saves("model.layers.1.self_attn.k_norm.weight")
        && norms.saves("model.layers.0.post_attention_layernorm.weight"), "PEFT matches names as path suffixes");
    assertTrue(!norms.saves("model.layers.0.self_attn.q_proj.weight") && !norms.saves(Qwen3Model.EMBED_TOKENS));
  }
}
