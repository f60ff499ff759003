package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * The settings of {@code train sft} and {@code train dpo}, each named as its {@link
 * net.b4mad.successor.train.TrainingConfig} key in kebab case. Unset options stay null, so that only what was
 * given overrides {@code --config}, and defaults live in one place, the config record.
 */
final class TrainingOptions {

  @Option(names = "--out", required = true, paramLabel = "RUN_DIR",
      description = "The run directory: config.json, metrics.jsonl, checkpoints/, adapter/, result.json.")
  Path out;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A JSON file of settings with the same keys as these options in snake case (max_steps, ...);"
          + " options given on the command line win.")
  Path config;

  @Option(names = "--resume",
      description = "Continue the run in --out from its latest checkpoint, with the settings it was started with.")
  boolean resume;

  @Option(names = "--model", paramLabel = "DIR", description = "The base model directory (Hugging Face layout).")
  String model;

  @Option(names = "--dataset", paramLabel = "DIR_OR_FILE",
      description = "A dataset version directory (train.jsonl, eval.jsonl) or a JSONL file.")
  String dataset;

  @Option(names = "--eval-dataset", paramLabel = "FILE", description = "Evaluation data when --dataset is a file.")
  String evalDataset;

  @Option(names = "--adapter", paramLabel = "DIR",
      description = "A PEFT adapter to continue from (its rank and targets are kept); for DPO, also the reference.")
  String adapter;

  @Option(names = "--qlora", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
      description = "Quantise the base to 4-bit NF4 with double quantisation (QLoRA). Default: false.")
  Boolean qlora;

  @Option(names = "--rank", description = "LoRA rank r. Default: 16.")
  Integer rank;

  @Option(names = "--alpha", description = "lora_alpha. Default: 2 x rank.")
  Double alpha;

  @Option(names = "--dropout", description = "lora_dropout. Default: 0 (as PEFT).")
  Double dropout;

  @Option(names = "--targets", split = ",", paramLabel = "MODULE",
      description = "Projections to adapt: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj. Default: all.")
  List<String> targets;

  @Option(names = "--modules-to-save", split = ",", paramLabel = "MODULE",
      description = "Train these in full beside the adapter (PEFT's modules_to_save): embed_tokens, lm_head,"
          + " projections (no longer LoRA targets), norms (norm: all of them); all of embed_tokens,lm_head,q_proj,"
          + "k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj,norm is a full fine-tune. Default: none.")
  List<String> modulesToSave;

  @Option(names = "--rslora", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
      description = "Rank-stabilised scaling alpha/sqrt(r). Default: false.")
  Boolean rslora;

  @Option(names = "--lr", description = "Peak learning rate. Default: 2e-4 (SFT), 5e-6 (DPO).")
  Double lr;

  @Option(names = "--epochs", description = "Passes over the data. Default: 1.")
  Integer epochs;

  @Option(names = "--max-steps", description = "Optimizer steps; overrides --epochs.")
  Integer maxSteps;

  @Option(names = "--batch-size", description = "Sequences (DPO: pairs) per forward pass. Default: 2.")
  Integer batchSize;

  @Option(names = "--grad-accum", description = "Forward passes per optimizer step. Default: 4.")
  Integer gradAccum;

  @Option(names = "--max-length", description = "Longest sequence in tokens; longer examples are dropped. Default: 2048.")
  Integer maxLength;

  @Option(names = "--warmup-ratio", description = "Share of steps with linear warmup. Default: 0.03.")
  Double warmupRatio;

  @Option(names = "--weight-decay", description = "AdamW weight decay. Default: 0.")
  Double weightDecay;

  @Option(names = "--max-grad-norm", description = "Clip the global gradient norm; 0 turns it off. Default: 1.0.")
  Double maxGradNorm;

  @Option(names = "--scheduler", paramLabel = "cosine|constant", description = "After warmup. Default: cosine.")
  String scheduler;

  @Option(names = "--seed", description = "Data order, LoRA init, dropout. Default: 42.")
  Long seed;

  @Option(names = "--eval-steps", description = "Evaluate every N steps and at the end. Default: 100.")
  Integer evalSteps;

  @Option(names = "--save-steps", description = "Checkpoint every N steps and at the end. Default: 100.")
  Integer saveSteps;

  @Option(names = "--logging-steps", description = "A metrics line every N steps. Default: 10.")
  Integer loggingSteps;

  @Option(names = "--save-total-limit", description = "Checkpoints kept. Default: 3.")
  Integer saveTotalLimit;

  @Option(names = "--train-on", paramLabel = "assistant|all",
      description = "Loss on assistant turns only, or on every token. Default: assistant.")
  String trainOn;

  @Option(names = "--gradient-checkpointing", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
      description = "Recompute activations layer by layer in the backward pass. Default: true.")
  Boolean gradientCheckpointing;

  @Option(names = "--beta", description = "DPO beta. Default: 0.1.")
  Double beta;

  @Option(names = "--loss-type", paramLabel = "sigmoid|ipo", description = "DPO loss. Default: sigmoid.")
  String lossType;

  /** The options that were given, by config key. */
  Map<String, Object> given() {
    Map<String, Object> given = new TreeMap<>();
    put(given, "model", model);
    put(given, "dataset", dataset);
    put(given, "eval_dataset", evalDataset);
    put(given, "adapter", adapter);
    put(given, "qlora", qlora);
    put(given, "rank", rank);
    put(given, "alpha", alpha);
    put(given, "dropout", dropout);
    put(given, "targets", targets);
    put(given, "rslora", rslora);
    put(given, "modules_to_save", modulesToSave);
    put(given, "lr", lr);
    put(given, "epochs", epochs);
    put(given, "max_steps", maxSteps);
    put(given, "batch_size", batchSize);
    put(given, "grad_accum", gradAccum);
    put(given, "max_length", maxLength);
    put(given, "warmup_ratio", warmupRatio);
    put(given, "weight_decay", weightDecay);
    put(given, "max_grad_norm", maxGradNorm);
    put(given, "scheduler", scheduler);
    put(given, "seed", seed);
    put(given, "eval_steps", evalSteps);
    put(given, "save_steps", saveSteps);
    put(given, "logging_steps", loggingSteps);
    put(given, "save_total_limit", saveTotalLimit);
    put(given, "train_on", trainOn);
    put(given, "gradient_checkpointing", gradientCheckpointing);
    put(given, "beta", beta);
    put(given, "loss_type", lossType);
    return given;
  }

  private static void put(Map<String, Object> given, String key, Object value) {
    if (value != null) {
      given.put(key, value);
    }
  }
}
