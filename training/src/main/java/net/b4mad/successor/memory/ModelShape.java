package net.b4mad.successor.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The architecture numbers a memory estimate needs: a dense Qwen3, or a Qwen3-MoE (Qwen3-30B-A3B), whose
 * attention, norms and embeddings are Qwen3's and whose MLP in {@code sparseLayers} layers is {@code experts}
 * expert MLPs of width {@code expertIntermediateSize} plus a router, {@code expertsPerToken} of them used per token.
 * A dense model has no experts and no sparse layers.
 */
public record ModelShape(Qwen3Config config, int experts, int expertsPerToken, int expertIntermediateSize, int sparseLayers) {

  public ModelShape {
    if (sparseLayers < 0 || sparseLayers > config.numHiddenLayers()) {
      throw new IllegalArgumentException(
          "sparseLayers must lie in 0.." + config.numHiddenLayers() + ", got " + sparseLayers);
    }
    if (sparseLayers > 0 && (experts < 1 || expertsPerToken < 1 || expertsPerToken > experts || expertIntermediateSize < 1)) {
      throw new IllegalArgumentException("a mixture-of-experts model needs experts >= experts per token >= 1 and an"
          + " expert width, got " + experts + ", " + expertsPerToken + ", " + expertIntermediateSize);
    }
  }

  public static ModelShape dense(Qwen3Config config) {
    return new ModelShape(config, 0, 0, 0, 0);
  }

  /** Reads {@code config.json}, or the one in a model directory; model_type qwen3 or qwen3_moe. */
  public static ModelShape read(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
    JsonNode json = Json.readTree(file);
    try {
      if (!json.path("model_type").asString("").equals("qwen3_moe")) {
        return dense(Qwen3Config.parse(json));
      }
      // Everything outside the MLP is a dense Qwen3's, so the dense parser checks it and reads its numbers.
      ObjectNode denseJson = ((ObjectNode) json).deepCopy();
      denseJson.put("model_type", Qwen3Config.MODEL_TYPE);
      Qwen3Config config = Qwen3Config.parse(denseJson);
      int step = json.path("decoder_sparse_step").asInt(1);
      Set<Integer> mlpOnly = new HashSet<>();
      json.path("mlp_only_layers").forEach(layer -> mlpOnly.add(layer.asInt()));
      int experts = json.path("num_experts").asInt(0);
      // transformers' Qwen3MoeDecoderLayer: a layer is sparse unless listed in mlp_only_layers or off the step
      int sparse = 0;
      for (int layer = 0; layer < config.numHiddenLayers() && experts > 0 && step > 0; layer++) {
        if (!mlpOnly.contains(layer) && (layer + 1) % step == 0) {
          sparse++;
        }
      }
      return new ModelShape(config, experts, json.path("num_experts_per_tok").asInt(0),
          json.path("moe_intermediate_size").asInt(0), sparse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public boolean isMixtureOfExperts() {
    return sparseLayers > 0;
  }
}
