package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.memory.MemoryEstimate;
import net.b4mad.successor.memory.MemoryEstimator;
import net.b4mad.successor.memory.ModelShape;
import net.b4mad.successor.memory.TrainingSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code successor train estimate-memory}: will a LoRA / QLoRA run fit the GPU? */
@Command(
    name = "estimate-memory",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = {
      "Estimate the peak GPU memory of LoRA or QLoRA training on a Qwen3 model (dense or Qwen3-MoE) and print the"
          + " breakdown, in bytes and GiB, as JSON: base weights, adapter weights, gradients, optimizer state,"
          + " activations, logits, overhead, total, and whether it fits --gpu-gib.",
      "Reads only config.json: nothing is loaded."
    })
final class EstimateMemoryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR|CONFIG_JSON",
      description = "A model directory, or its config.json.")
  Path model;

  @Option(names = "--qlora", description = "QLoRA: the base in NF4 (4.127 bits per weight), not 16 bits.")
  boolean qlora;

  @Option(names = "--rank", defaultValue = "16", description = "LoRA rank r (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "MODULE",
      description = "Projections with adapters (default: all seven, q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,"
          + "down_proj, less those in --modules-to-save).")
  List<String> targets;

  @Option(
      names = "--modules-to-save",
      split = ",",
      paramLabel = "MODULE",
      description = "Modules trained in full, as PEFT's modules_to_save: embed_tokens, lm_head, projections, norms"
          + " (norm: all of them); all of embed_tokens,lm_head,q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,"
          + "down_proj,norm is a full fine-tune (default: none).")
  List<String> modulesToSave;

  @Option(names = "--batch-size", defaultValue = "1", description = "Micro batch size, as train's --batch-size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--max-length", defaultValue = "2048", description = "Tokens per sequence, as train's --max-length (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(
      names = "--gradient-checkpointing",
      arity = "1",
      defaultValue = "true",
      paramLabel = "true|false",
      description = "Recompute each layer's activations in the backward pass (default: ${DEFAULT-VALUE}).")
  boolean gradientCheckpointing;

  @Option(
      names = "--gpu-gib",
      defaultValue = "24",
      description = "GPU memory in GiB (default: ${DEFAULT-VALUE}, an RTX 4090).")
  double gpuGib;

  @Override
  public Integer call() {
    if (!(gpuGib > 0)) {
      throw new ParameterException(spec.commandLine(), "--gpu-gib must be positive, got " + gpuGib);
    }
    List<String> saved = modulesToSave == null ? List.of() : modulesToSave;
    List<String> adapted = targets != null ? targets : LoraConfig.defaultTargets(saved);
    TrainingSetup setup = new TrainingSetup(qlora, rank, adapted, saved, batch, seqLen, gradientCheckpointing);
    ModelShape shape = ModelShape.read(model);
    MemoryEstimate estimate = MemoryEstimator.estimate(shape, setup, Math.round(gpuGib * (1L << 30)));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("model", model.toString());
    report.put("method", qlora ? "qlora" : "lora");
    report.put("setup", Json.toMap(setup));
    report.putAll(estimate.toJson());
    report.put("assumptions", MemoryEstimator.ASSUMPTIONS);
    System.out.println(Json.writePretty(report));
    return 0;
  }
}
