package net.b4mad.successor.lora;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter on a causal LM. Scale is {@code alpha / r}, or
 * {@code alpha / sqrt(r)} with rsLoRA. {@code modulesToSave} are trained in full beside the low-rank updates: the
 * input embedding ({@code embed_tokens}), the LM head ({@code lm_head}), projections that LoRA does not target, and
 * norms; as in PEFT, a name means every module whose path ends with it ({@code norm}: all of them, {@code q_norm}:
 * the attention's query norms), and with every module saved the adapter is a full fine-tune. Variants whose
 * arithmetic this implementation does not do (DoRA, bias training) are refused by name.
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

  /** The modules that can be trained in full: the embedding, the head, the projections and the norms. */
  public static final List<String> SAVABLE = List.of("embed_tokens", "lm_head", "q_proj", "k_proj", "v_proj", "o_proj",
      "gate_proj", "up_proj", "down_proj", "q_norm", "k_norm", "input_layernorm", "post_attention_layernorm", "norm");

  /** Every module of a Qwen3 model: {@code modules_to_save} for a full fine-tune. */
  public static final List<String> EVERY_MODULE = List.of("embed_tokens", "lm_head", "q_proj", "k_proj", "v_proj",
      "o_proj", "gate_proj", "up_proj", "down_proj", "norm");

  public LoraConfig {
    if (r < 1) {
      throw new IllegalArgumentException("LoRA rank r must be at least 1, got " + r);
    }
    // PEFT keeps target modules as a set; sorted they compare and serialise the same every time.
    targetModules = targetModules.stream().distinct().sorted().toList();
    modulesToSave = modulesToSave == null ? List.of() : modulesToSave.stream().distinct().sorted().toList();
    checkModules(targetModules, modulesToSave);
    if (targetModules.isEmpty() && modulesToSave.isEmpty()) {
      throw new IllegalArgumentException("an adapter must target at least one projection or train a module in full");
    }
  }

  /**
   * Refuses what a Qwen3 adapter cannot hold, naming the choices: a target that is not a projection, a module that
   * cannot be trained in full, a module that is both.
   */
  public static void checkModules(List<String> targets, List<String> modulesToSave) {
    for (String module : targets) {
      if (!ALL_LINEAR.contains(module)) {
        throw new IllegalArgumentException(
            "target module '" + module + "' is not a Qwen3 projection; choose from " + ALL_LINEAR);
      }
    }
    for (String module : modulesToSave) {
      if (!SAVABLE.contains(module)) {
        throw new IllegalArgumentException(
            "module to save '" + module + "' cannot be trained in full; choose from " + SAVABLE);
      }
      if (targets.contains(module)) {
        throw new IllegalArgumentException("'" + module + "' is both a LoRA target and trained in full"
            + " (modules_to_save); leave it out of one of them");
      }
    }
  }

  /** The targets when none are given: every projection not trained in full (none left is a full fine-tune). */
  public static List<String> defaultTargets(List<String> modulesToSave) {
    return ALL_LINEAR.stream().filter(target -> !modulesToSave.contains(target)).toList();
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
   * PEFT's key for the tensor of a fully trained module as its adapter file holds it (PEFT drops
   * {@code modules_to_save.default} from the wrapper's name), given the checkpoint name it replaces:
   * {@code base_model.model.model.embed_tokens.weight}, {@code base_model.model.lm_head.weight}.
   */
  public static String savedKey(String checkpointName) {
    return "base_model.model." + checkpointName;
  }

  /**
   * Whether the checkpoint tensor {@code name} (e.g. {@code model.layers.0.self_attn.q_norm.weight}) belongs to a
   * module trained in full: one whose path ends with a name in {@code modules_to_save}, as PEFT matches them.
   */
  public boolean saves(String name) {
    return saves(modulesToSave, name);
  }

  /** Whether {@code modulesToSave} take the module or checkpoint tensor {@code name}, as {@link #saves(String)}. */
  public static boolean saves(List<String> modulesToSave, String name) {
    String path = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
    return modulesToSave.stream().anyMatch(path::endsWith);
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
