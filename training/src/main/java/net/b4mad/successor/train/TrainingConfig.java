package net.b4mad.successor.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraConfig;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Everything a training run needs, as one JSON object whose keys are the CLI's flags in snake case
 * ({@code --max-steps} is {@code max_steps}); written to the run directory as {@code config.json}, so a run is
 * self-describing and can be resumed or re-run from that file alone. A null (absent) setting takes the default
 * named beside it. Whether a setting fits a GPU is {@code MemoryEstimator}'s to say ({@code successor
 * estimate-memory}), before anything is loaded.
 *
 * @param method {@code sft} or {@code dpo}
 * @param model the base model directory (Hugging Face layout)
 * @param dataset SFT: a dataset version directory (train.jsonl, eval.jsonl) or a JSONL file of chat examples;
 *     DPO: a JSONL file of preference pairs, or a directory with train.jsonl / eval.jsonl of them
 * @param evalDataset a JSONL file for evaluation when {@code dataset} is a file (optional)
 * @param adapter a PEFT adapter to start from (optional; DPO after SFT), which is also DPO's frozen reference
 * @param qlora quantise the base to NF4 (false)
 * @param rank LoRA rank r (16)
 * @param alpha lora_alpha (2 x rank)
 * @param dropout lora_dropout (0, as PEFT and Unsloth default; above 0 each step draws a random mask for every
 *     targeted projection)
 * @param targets projections to adapt (all seven linear ones, less those in {@code modulesToSave})
 * @param rslora scale by alpha/sqrt(r) (false)
 * @param modulesToSave train these in full beside the adapter, as PEFT's modules_to_save (none): {@code embed_tokens}
 *     and {@code lm_head} when the base must learn new tokens, projections and norms by name ({@code norm} is every
 *     norm); {@link LoraConfig#EVERY_MODULE} is a full fine-tune. Costly: the full tensors, their gradients and
 *     optimizer state in float32
 * @param lr peak learning rate (2e-4 for SFT, 5e-6 for DPO)
 * @param epochs passes over the training data (1)
 * @param maxSteps optimizer steps; overrides epochs when set
 * @param batchSize sequences (SFT) or pairs (DPO) per forward pass (2)
 * @param gradAccum forward passes per optimizer step (4)
 * @param maxLength longest sequence in tokens; longer examples are dropped and counted, never cut (2048)
 * @param warmupRatio share of steps with linear warmup (0.03)
 * @param weightDecay AdamW decoupled weight decay (0)
 * @param maxGradNorm clip the global gradient norm to this; 0 turns clipping off (1.0)
 * @param scheduler {@code cosine} or {@code constant} after warmup (cosine)
 * @param seed data order, LoRA init and dropout (42)
 * @param evalSteps evaluate every N steps, and at the end (100)
 * @param saveSteps checkpoint every N steps, and at the end (100)
 * @param loggingSteps a metrics line every N steps (10)
 * @param saveTotalLimit checkpoints kept, oldest deleted first (3)
 * @param trainOn {@code assistant} (loss on assistant turns only) or {@code all} (assistant)
 * @param gradientCheckpointing recompute each layer's activations in the backward pass instead of keeping
 *     them: one more forward pass per layer for a fraction of the memory, as `successor bench train` measures (true)
 * @param beta DPO's beta (0.1)
 * @param lossType DPO loss: {@code sigmoid} or {@code ipo} (sigmoid)
 */
public record TrainingConfig(
    String method,
    String model,
    String dataset,
    String evalDataset,
    String adapter,
    Boolean qlora,
    Integer rank,
    Double alpha,
    Double dropout,
    List<String> targets,
    Boolean rslora,
    List<String> modulesToSave,
    Double lr,
    Integer epochs,
    Integer maxSteps,
    Integer batchSize,
    Integer gradAccum,
    Integer maxLength,
    Double warmupRatio,
    Double weightDecay,
    Double maxGradNorm,
    String scheduler,
    Long seed,
    Integer evalSteps,
    Integer saveSteps,
    Integer loggingSteps,
    Integer saveTotalLimit,
    String trainOn,
    Boolean gradientCheckpointing,
    Double beta,
    String lossType) {

  public static final List<String> METHODS = List.of("sft", "dpo");

  public TrainingConfig {
    method = method == null ? "sft" : method.toLowerCase(Locale.ROOT);
    require(METHODS.contains(method), "method must be one of " + METHODS + ", got '" + method + "'");
    require(model != null && !model.isBlank(), "model is required: the base model directory");
    require(dataset != null && !dataset.isBlank(), "dataset is required: a dataset version directory or a JSONL file");
    qlora = qlora != null && qlora;
    rank = rank == null ? 16 : rank;
    require(rank >= 1 && rank <= 1024, "rank must be between 1 and 1024, got " + rank);
    alpha = alpha == null ? 2.0 * rank : alpha;
    require(alpha > 0, "alpha must be positive, got " + alpha);
    dropout = dropout == null ? 0.0 : dropout;
    require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
    rslora = rslora != null && rslora;
    modulesToSave = modulesToSave == null ? List.of() : List.copyOf(modulesToSave);
    targets = targets == null || targets.isEmpty() ? LoraConfig.defaultTargets(modulesToSave) : List.copyOf(targets);
    LoraConfig.checkModules(targets, modulesToSave);
    for (String module : modulesToSave) {
      require(!qlora || !LoraConfig.ALL_LINEAR.contains(module),
          "modules_to_save: '" + module + "' cannot be trained in full under QLoRA, which quantises the projections"
              + " to NF4; train it with LoRA, or turn qlora off");
    }
    lr = lr == null ? (method.equals("dpo") ? 5e-6 : 2e-4) : lr;
    require(lr > 0 && lr < 1, "lr must be in (0, 1), got " + lr);
    epochs = epochs == null ? 1 : epochs;
    require(epochs >= 1, "epochs must be at least 1, got " + epochs);
    require(maxSteps == null || maxSteps >= 1, "max_steps must be at least 1, got " + maxSteps);
    batchSize = batchSize == null ? 2 : batchSize;
    require(batchSize >= 1, "batch_size must be at least 1, got " + batchSize);
    gradAccum = gradAccum == null ? 4 : gradAccum;
    require(gradAccum >= 1, "grad_accum must be at least 1, got " + gradAccum);
    maxLength = maxLength == null ? 2048 : maxLength;
    require(maxLength >= 2, "max_length must be at least 2, got " + maxLength);
    warmupRatio = warmupRatio == null ? 0.03 : warmupRatio;
    require(warmupRatio >= 0 && warmupRatio < 1, "warmup_ratio must be in [0, 1), got " + warmupRatio);
    weightDecay = weightDecay == null ? 0.0 : weightDecay;
    require(weightDecay >= 0, "weight_decay must not be negative, got " + weightDecay);
    maxGradNorm = maxGradNorm == null ? 1.0 : maxGradNorm;
    require(maxGradNorm >= 0, "max_grad_norm must not be negative (0 turns clipping off), got " + maxGradNorm);
    scheduler = scheduler == null ? "cosine" : scheduler;
    require(List.of("cosine", "constant").contains(scheduler), "scheduler must be cosine or constant, got '" + scheduler + "'");
    seed = seed == null ? 42L : seed;
    evalSteps = evalSteps == null ? 100 : evalSteps;
    saveSteps = saveSteps == null ? 100 : saveSteps;
    loggingSteps = loggingSteps == null ? 10 : loggingSteps;
    require(evalSteps >= 1 && saveSteps >= 1 && loggingSteps >= 1, "eval_steps, save_steps and logging_steps must be at least 1");
    saveTotalLimit = saveTotalLimit == null ? 3 : saveTotalLimit;
    require(saveTotalLimit >= 1, "save_total_limit must be at least 1, got " + saveTotalLimit);
    trainOn = trainOn == null ? "assistant" : trainOn;
    require(List.of("assistant", "all").contains(trainOn), "train_on must be assistant or all, got '" + trainOn + "'");
    gradientCheckpointing = gradientCheckpointing == null || gradientCheckpointing;
    beta = beta == null ? 0.1 : beta;
    require(beta > 0, "beta must be positive, got " + beta);
    lossType = lossType == null ? "sigmoid" : lossType;
    require(List.of("sigmoid", "ipo").contains(lossType), "loss_type must be sigmoid or ipo, got '" + lossType + "'");
  }

  /** The adapter's PEFT configuration. */
  public LoraConfig lora() {
    return new LoraConfig(rank, alpha, dropout, targets, rslora, model, modulesToSave);
  }

  /** Binds a JSON object; unknown keys are refused with the list of known ones (a typo must not be ignored). */
  public static TrainingConfig fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("a training config must be a JSON object");
    }
    try {
      return Json.MAPPER.readerFor(TrainingConfig.class)
          .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(json);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "unknown training setting '" + e.getPropertyName() + "'; the settings are " + keys(), e);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException invalid) {
        throw invalid;
      }
      throw new IllegalArgumentException("invalid training config: " + e.getMessage(), e);
    }
  }

  /** The setting names, as they appear in JSON. */
  public static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (var component : TrainingConfig.class.getRecordComponents()) {
      keys.add(snakeCase(component.getName()));
    }
    return keys;
  }

  private static String snakeCase(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
