package net.b4mad.successor.qwen3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * The architecture numbers of a dense Qwen3 model, read from a Hugging Face {@code config.json}. Anything this
 * implementation would compute wrongly (another model type, rope scaling, attention bias, sliding windows) is
 * refused here with a message, rather than producing wrong numbers later.
 */
public record Qwen3Config(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    int maxPositionEmbeddings,
    String torchDtype,
    Integer bosTokenId,
    List<Integer> eosTokenIds) {

  public static final String MODEL_TYPE = "qwen3";

  public Qwen3Config {
    eosTokenIds = List.copyOf(eosTokenIds);
    require(numAttentionHeads % numKeyValueHeads == 0,
        "num_attention_heads (" + numAttentionHeads + ") must be a multiple of num_key_value_heads ("
            + numKeyValueHeads + ")");
    require(headDim % 2 == 0, "head_dim must be even for rotary embeddings, got " + headDim);
  }

  public static Qwen3Config read(Path configJson) {
    JsonNode json = Json.readTree(configJson);
    try {
      return parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(configJson + ": " + e.getMessage(), e);
    }
  }

  public static Qwen3Config parse(JsonNode config) {
    String modelType = config.path("model_type").asString("");
    if (modelType.equals("qwen3_moe")) {
      throw new IllegalArgumentException(
          "model_type qwen3_moe (Qwen3-30B-A3B and other mixture-of-experts models) is not supported yet;"
              + " only dense Qwen3 models are");
    }
    require(modelType.equals(MODEL_TYPE),
        "model_type is '" + modelType + "', but only dense Qwen3 ('qwen3') models are supported");
    JsonNode ropeScaling = config.get("rope_scaling");
    require(ropeScaling == null || ropeScaling.isNull(),
        "rope_scaling " + ropeScaling + " is not implemented; only plain RoPE (rope_scaling: null) is");
    require(!config.path("attention_bias").asBoolean(false), "attention_bias true is not a Qwen3 layout");
    require(!config.path("use_sliding_window").asBoolean(false), "sliding-window attention is not implemented");
    String act = config.path("hidden_act").asString("silu");
    require(act.equals("silu"), "hidden_act '" + act + "' is not supported; Qwen3 uses silu");

    int hidden = requiredInt(config, "hidden_size");
    int heads = requiredInt(config, "num_attention_heads");
    List<Integer> eos = new ArrayList<>();
    JsonNode eosNode = config.get("eos_token_id");
    if (eosNode != null && eosNode.isArray()) {
      eosNode.forEach(id -> eos.add(id.asInt()));
    } else if (eosNode != null && eosNode.isNumber()) {
      eos.add(eosNode.asInt());
    }
    JsonNode bos = config.get("bos_token_id");
    return new Qwen3Config(
        requiredInt(config, "vocab_size"),
        hidden,
        requiredInt(config, "intermediate_size"),
        requiredInt(config, "num_hidden_layers"),
        heads,
        config.path("num_key_value_heads").asInt(heads),
        config.has("head_dim") ? requiredInt(config, "head_dim") : hidden / heads,
        config.path("rms_norm_eps").asDouble(1e-6),
        config.path("rope_theta").asDouble(1_000_000.0),
        config.path("tie_word_embeddings").asBoolean(false),
        config.path("max_position_embeddings").asInt(40960),
        config.path("torch_dtype").asString("bfloat16"),
        bos == null || bos.isNull() ? null : bos.asInt(),
        eos);
  }

  /** The config as {@code config.json} content, in the key order transformers writes. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("architectures", List.of("Qwen3ForCausalLM"));
    json.put("attention_bias", false);
    json.put("attention_dropout", 0.0);
    if (bosTokenId != null) {
      json.put("bos_token_id", bosTokenId);
    }
    json.put("eos_token_id", eosTokenIds.size() == 1 ? eosTokenIds.get(0) : eosTokenIds);
    json.put("head_dim", headDim);
    json.put("hidden_act", "silu");
    json.put("hidden_size", hiddenSize);
    json.put("initializer_range", 0.02);
    json.put("intermediate_size", intermediateSize);
    json.put("max_position_embeddings", maxPositionEmbeddings);
    json.put("model_type", MODEL_TYPE);
    json.put("num_attention_heads", numAttentionHeads);
    json.put("num_hidden_layers", numHiddenLayers);
    json.put("num_key_value_heads", numKeyValueHeads);
    json.put("rms_norm_eps", rmsNormEps);
    json.put("rope_scaling", null);
    json.put("rope_theta", ropeTheta);
    json.put("sliding_window", null);
    json.put("tie_word_embeddings", tieWordEmbeddings);
    json.put("torch_dtype", torchDtype);
    json.put("use_cache", true);
    json.put("use_sliding_window", false);
    json.put("vocab_size", vocabSize);
    return json;
  }

  /** Query heads per key/value head. */
  public int groupSize() {
    return numAttentionHeads / numKeyValueHeads;
  }

  private static int requiredInt(JsonNode config, String key) {
    JsonNode value = config.get(key);
    require(value != null && value.isIntegralNumber() && value.asInt() > 0,
        "'" + key + "' must be a positive integer, got " + value);
    return value.asInt();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
