package net.b4mad.successor.memory;

import java.util.List;
import net.b4mad.successor.lora.LoraConfig;

/**
 * What a training run's memory depends on besides the model: LoRA on a 16-bit base or QLoRA on an NF4 base, the
 * adapter's rank and target projections, modules trained in full (PEFT's {@code modules_to_save}), the micro
 * batch, the sequence length, and whether activations are checkpointed.
 */
public record TrainingSetup(
    boolean qlora,
    int rank,
    List<String> targetModules,
    List<String> modulesToSave,
    int batchSize,
    int sequenceLength,
    boolean gradientCheckpointing) {

  public TrainingSetup {
    targetModules = targetModules.stream().distinct().sorted().toList();
    modulesToSave = modulesToSave.stream().distinct().sorted().toList();
    if (rank < 1) {
      throw new IllegalArgumentException("the LoRA rank must be at least 1, got " + rank);
    }
    LoraConfig.checkModules(targetModules, modulesToSave);
    if (batchSize < 1 || sequenceLength < 1) {
      throw new IllegalArgumentException(
          "batch size and sequence length must be positive, got " + batchSize + " and " + sequenceLength);
    }
  }

  /** Whether the module {@code name} (a path or its last part) is trained in full, as PEFT matches names. */
  public boolean saves(String name) {
    return LoraConfig.saves(modulesToSave, name);
  }

  /** The setup of a training run; a DPO micro-batch holds two sequences (chosen and rejected) per pair. */
  public static TrainingSetup of(net.b4mad.successor.train.TrainingConfig config) {
    int sequences = config.method().equals("dpo") ? 2 * config.batchSize() : config.batchSize();
    return new TrainingSetup(config.qlora(), config.rank(), config.targets(), config.modulesToSave(), sequences,
        config.maxLength(), config.gradientCheckpointing());
  }

  /** LoRA of the given rank on all seven projections, nothing trained in full, with gradient checkpointing. */
  public static TrainingSetup allLinear(boolean qlora, int rank, int batchSize, int sequenceLength) {
    return new TrainingSetup(qlora, rank, LoraConfig.ALL_LINEAR, List.of(), batchSize, sequenceLength, true);
  }
}
