package net.b4mad.successor.qwen3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import net.b4mad.successor.fixtures.SharedFixtures;
import org.junit.jupiter.api.Test;

class Qwen3LayoutTest {

  @Test
  void qwen3SixHundredMillionHasItsPublishedShapesAndSize() {
    Qwen3Config config = Qwen3Config.read(SharedFixtures.resolve("qwen3-configs/Qwen3-0.6B.config.json"));
    Map<String, List<Long>> shapes = Qwen3Layout.tensorShapes(config);
    assertEquals(1 + 28 * 11 + 1, shapes.size());
    assertEquals(List.of(151936L, 1024L), shapes.get("model.embed_tokens.weight"));
    assertEquals(List.of(16L * 128, 1024L), shapes.get("model.layers.27.self_attn.q_proj.weight"));
    assertEquals(List.of(8L * 128, 1024L), shapes.get("model.layers.27.self_attn.v_proj.weight"));
    assertEquals(List.of(1024L, 16L * 128), shapes.get("model.layers.27.self_attn.o_proj.weight"));
    assertEquals(List.of(128L), shapes.get("model.layers.27.self_attn.k_norm.weight"));
    assertEquals(List.of(1024L, 3072L), shapes.get("model.layers.27.mlp.down_proj.weight"));
    // the model card: 0.6B parameters, 0.44B of them outside the embedding
    assertEquals(596_049_920L, Qwen3Layout.parameterCount(config));
    assertEquals(440_467_456L, Qwen3Layout.parameterCount(config) - 151936L * 1024);
  }

  @Test
  void anUntiedModelHasAnLmHead() {
    Qwen3Config config = Qwen3Config.read(SharedFixtures.resolve("qwen3-tiny/untied-f32/config.json"));
    assertEquals(List.of(1024L, 48L), Qwen3Layout.tensorShapes(config).get("lm_head.weight"));
  }
}
