package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraMerge;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code successor model merge}: a LoRA adapter folded into its base model, written as a plain model. */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = {
      "Fold a PEFT LoRA adapter into its base model (W + scale * B A for every targeted projection) and write the"
          + " result to --out in Hugging Face layout: config.json, safetensors weights (sharded above"
          + " --max-shard-bytes), and the base's generation and tokenizer files. Prints a JSON summary.",
      "Tensors are streamed one chunk at a time, so the model never has to fit in memory."
    })
final class ModelMergeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The base model directory.")
  Path model;

  @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "The PEFT LoRA adapter directory.")
  Path adapter;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The merged model directory to write.")
  Path out;

  @Option(
      names = "--dtype",
      paramLabel = "bf16|f32",
      description = "Weight dtype of the merged model (default: the base's torch_dtype).")
  String dtype;

  @Option(
      names = "--max-shard-bytes",
      defaultValue = "" + SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES,
      paramLabel = "BYTES",
      description = "Split the weights into shards above this size (default: ${DEFAULT-VALUE}, as transformers).")
  long maxShardBytes;

  @Option(names = "--force", description = "Write into a non-empty --out directory, replacing the files it writes.")
  boolean force;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    LoraMerge.Merged merged = LoraMerge.merge(model, adapter, out, dtype(), force, maxShardBytes);
    Map<String, Object> report = Json.toMap(merged);
    report.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
    System.out.println(Json.writePretty(report));
    return 0;
  }

  private Dtype dtype() {
    if (dtype == null) {
      return null;
    }
    switch (dtype.toLowerCase(Locale.ROOT)) {
      case "bf16":
      case "bfloat16":
        return Dtype.BF16;
      case "f32":
      case "float32":
        return Dtype.F32;
      default:
        throw new ParameterException(spec.commandLine(), "--dtype must be bf16 or f32, got '" + dtype + "'");
    }
  }
}
