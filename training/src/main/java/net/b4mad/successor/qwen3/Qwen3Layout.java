package net.b4mad.successor.qwen3;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checkpoint tensors of a dense Qwen3 model: transformers' names and shapes, in module order. */
public final class Qwen3Layout {

  private Qwen3Layout() {}

  /** Linear weights are [out_features, in_features], as PyTorch stores them. */
  public static Map<String, List<Long>> tensorShapes(Qwen3Config config) {
    long hidden = config.hiddenSize();
    long queryWidth = (long) config.numAttentionHeads() * config.headDim();
    long keyValueWidth = (long) config.numKeyValueHeads() * config.headDim();
    long intermediate = config.intermediateSize();
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    shapes.put("model.embed_tokens.weight", List.of((long) config.vocabSize(), hidden));
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String layer = "model.layers." + i + ".";
      shapes.put(layer + "input_layernorm.weight", List.of(hidden));
      shapes.put(layer + "self_attn.q_proj.weight", List.of(queryWidth, hidden));
      shapes.put(layer + "self_attn.k_proj.weight", List.of(keyValueWidth, hidden));
      shapes.put(layer + "self_attn.v_proj.weight", List.of(keyValueWidth, hidden));
      shapes.put(layer + "self_attn.o_proj.weight", List.of(hidden, queryWidth));
      shapes.put(layer + "self_attn.q_norm.weight", List.of((long) config.headDim()));
      shapes.put(layer + "self_attn.k_norm.weight", List.of((long) config.headDim()));
      shapes.put(layer + "post_attention_layernorm.weight", List.of(hidden));
      shapes.put(layer + "mlp.gate_proj.weight", List.of(intermediate, hidden));
      shapes.put(layer + "mlp.up_proj.weight", List.of(intermediate, hidden));
      shapes.put(layer + "mlp.down_proj.weight", List.of(hidden, intermediate));
    }
    shapes.put("model.norm.weight", List.of(hidden));
    if (!config.tieWordEmbeddings()) {
      shapes.put("lm_head.weight", List.of((long) config.vocabSize(), hidden));
    }
    return shapes;
  }

  /** Counted as transformers' {@code num_parameters()} does: a tied LM head shares the embedding's. */
  public static long parameterCount(Qwen3Config config) {
    long count = 0;
    for (List<Long> shape : tensorShapes(config).values()) {
      count += shape.stream().reduce(1L, Math::multiplyExact);
    }
    return count;
  }
}
