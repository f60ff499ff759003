package net.b4mad.successor.lora;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Model;
import tools.jackson.databind.JsonNode;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter on a causal LM. Scale is {@code alpha / r}, or
 * {@code alpha / sqrt(r)} with rsLoRA. {@code modulesToSave} are trained in full beside the low-rank updates:
 * the input embedding ({@code embed_tokens}) and the LM head ({@code lm_head}). Variants whose arithmetic this
 * implementation does not do (DoRA, bias training) are refused by name.
 */
public record LoraConfig(
    int r,
    double loraAlpha,
    double loraDropout,
    List<String> targetModules,
    boolean useRslora,
    String baseModelNameOrPath,
    List<String> modulesToSave) {

  public static final String FILE = "adapter_config.json";

  /** The projections of a Qwen3 decoder layer, by their checkpoint names. */
  public static final List<String> ALL_LINEAR =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  /** The modules outside the decoder layers that can be trained in full. */
  public static final List<String> SAVABLE = List.of("embed_tokens", "lm_head");

  public LoraConfig {
    if (r < 1) {
      throw new IllegalArgumentException("LoRA rank r must be at least 1, got " + r);
    }
    // PEFT keeps target modules as a set; sorted they compare and serialise the same every time.
    targetModules = targetModules.stream().distinct().sorted().toList();
    for (String module : targetModules) {
      if (!ALL_LINEAR.contains(module)) {
        throw new IllegalArgumentException(
            "target module '" + module + "' is not a Qwen3 projection; choose from " + ALL_LINEAR);
      }
    }
    modulesToSave = modulesToSave == null ? List.of() : modulesToSave.stream().distinct().sorted().toList();
    for (String module : modulesToSave) {
      if (!SAVABLE.contains(module)) {
        throw new IllegalArgumentException(
            "module to save '" + module + "' cannot be trained in full; choose from " + SAVABLE);
      }
    }
  }

  /** An adapter without fully trained modules. */
  public LoraConfig(int r, double loraAlpha, double loraDropout, List<String> targetModules, boolean useRslora,
      String baseModelNameOrPath) {
    this(r, loraAlpha, loraDropout, targetModules, useRslora, baseModelNameOrPath, List.of());
  }

  public double scale() {
    return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
  }

  public static LoraConfig read(Path adapterDir) {
    Path file = adapterDir.resolve(FILE);
    JsonNode json = Json.readTree(file);
    require(json.path("peft_type").asString("LORA").equals("LORA"), file, "peft_type must be LORA");
    require(!json.path("use_dora").asBoolean(false), file, "DoRA adapters (use_dora) are not supported");
    require(json.path("bias").asString("none").equals("none"), file, "adapters that train biases are not supported");
    List<String> saved = new ArrayList<>();
    json.path("modules_to_save").forEach(module -> saved.add(module.asString()));
    List<String> targets = new ArrayList<>();
    JsonNode targetNode = json.path("target_modules");
    if (targetNode.isString()) {
      // PEFT allows a regex string; "all-linear" is the one spelling we can honour without a regex engine match.
      require(targetNode.asString().equals("all-linear"), file, "target_modules as a regex is not supported");
      targets.addAll(ALL_LINEAR);
    } else {
      targetNode.forEach(module -> targets.add(module.asString()));
    }
    try {
      return new LoraConfig(
          json.path("r").asInt(8),
          json.path("lora_alpha").asDouble(8),
          json.path("lora_dropout").asDouble(0),
          targets,
          json.path("use_rslora").asBoolean(false),
          json.path("base_model_name_or_path").asString(null),
          saved);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** The file as PEFT writes it, so that transformers, PEFT and vLLM load the adapter. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("alpha_pattern", Map.of());
    json.put("auto_mapping", null);
    json.put("base_model_name_or_path", baseModelNameOrPath);
    json.put("bias", "none");
    json.put("fan_in_fan_out", false);
    json.put("inference_mode", true);
    json.put("init_lora_weights", true);
    json.put("layers_pattern", null);
    json.put("layers_to_transform", null);
    json.put("lora_alpha", loraAlpha);
    json.put("lora_dropout", loraDropout);
    json.put("modules_to_save", modulesToSave.isEmpty() ? null : modulesToSave);
    json.put("peft_type", "LORA");
    json.put("r", r);
    json.put("rank_pattern", Map.of());
    json.put("revision", null);
    json.put("target_modules", targetModules);
    json.put("task_type", "CAUSAL_LM");
    json.put("use_dora", false);
    json.put("use_rslora", useRslora);
    return json;
  }

  /**
   * PEFT's key for a fully trained module as its adapter file holds it (PEFT drops {@code modules_to_save.default}
   * from the wrapper's name): {@code base_model.model.model.embed_tokens.weight},
   * {@code base_model.model.lm_head.weight}.
   */
  public static String savedKey(String module) {
    return "base_model.model." + checkpointName(module);
  }

  /** The checkpoint tensor a fully trained module replaces. */
  public static String checkpointName(String module) {
    return switch (module) {
      case "embed_tokens" -> Qwen3Model.EMBED_TOKENS;
      case "lm_head" -> Qwen3Model.LM_HEAD;
      default -> throw new IllegalArgumentException("no fully trained module '" + module + "'; choose from " + SAVABLE);
    };
  }

  /** The saved module whose checkpoint tensor is {@code name}, or null. */
  public String savedModuleOf(String name) {
    for (String module : modulesToSave) {
      if (checkpointName(module).equals(name)) {
        return module;
      }
    }
    return null;
  }

  /** PEFT's key for one LoRA matrix: {@code base_model.model.<module>.lora_A.weight}. */
  public static String tensorKey(String module, String matrix) {
    return "base_model.model." + module + "." + matrix + ".weight";
  }

  boolean targets(String module) {
    return targetModules.contains(module.substring(module.lastIndexOf('.') + 1));
  }

  private static void require(boolean condition, Path file, String message) {
    if (!condition) {
      throw new IllegalArgumentException(file + ": " + message);
    }
  }
}
