package net.b4mad.successor.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.dpo.DpoObjective;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.lora.TrainableLora;
import net.b4mad.successor.quant.Nf4Quantiser;
import net.b4mad.successor.qwen3.Qwen3Layout;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.sft.SftObjective;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;

/**
 * A training run from its config to its adapter: loads the base (NF4 under QLoRA) with a trainable LoRA
 * adapter (fresh, the one named by {@code adapter}, or the latest checkpoint's when resuming), reads the data,
 * trains, and writes {@code adapter/} and {@code result.json}. The CLI and the job worker both run this.
 */
public final class TrainingRun {

  /** The run's outcome, also written to {@code result.json}. */
  public record Result(String status, Path runDir, Path adapter, int step, int totalSteps,
      Map<String, Object> metrics, Map<String, Object> data, Map<String, Object> model) {

    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("status", status);
      map.put("run_dir", runDir.toString());
      map.put("adapter", adapter == null ? null : adapter.toString());
      map.put("step", step);
      map.put("total_steps", totalSteps);
      map.put("metrics", metrics);
      map.put("data", data);
      map.put("model", model);
      return map;
    }
  }

  private TrainingRun() {}

  /** Starts a new run in {@code runDir}. */
  public static Result start(TrainingConfig config, Path runDir, BooleanSupplier stop, TrainingEvents events) {
    return execute(RunDirectory.create(runDir, config), Optional.empty(), stop, events);
  }

  /** Continues the run in {@code runDir} from its latest checkpoint (from the start when it has none). */
  public static Result resume(Path runDir, BooleanSupplier stop, TrainingEvents events) {
    RunDirectory run = RunDirectory.open(runDir);
    Optional<Integer> checkpoint = run.latestCheckpoint();
    run.truncateMetrics(checkpoint.orElse(0));
    events.progress(checkpoint.map(step -> "resuming " + runDir + " from step " + step)
        .orElse("no checkpoint in " + runDir + " yet: starting it from the beginning"));
    return execute(run, checkpoint, stop, events);
  }

  private static Result execute(
      RunDirectory run, Optional<Integer> checkpoint, BooleanSupplier stop, TrainingEvents events) {
    TrainingConfig config = run.config();
    Path modelDir = Path.of(config.model());
    if (!Files.isRegularFile(modelDir.resolve("tokenizer.json"))) {
      throw new IllegalArgumentException(
          "the model directory " + modelDir + " has no tokenizer.json; training needs the model's own tokenizer");
    }
    LoraConfig loraConfig = loraConfig(config);
    NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice());
    TrainableLora lora;
    if (checkpoint.isPresent()) {
      lora = TrainableLora.from(run.checkpoint(checkpoint.get()), loraConfig, manager);
    } else if (config.adapter() != null) {
      lora = TrainableLora.from(Path.of(config.adapter()), loraConfig, manager);
    } else {
      lora = TrainableLora.fresh(loraConfig, config.seed(), manager);
    }
    Nf4Quantiser quantiser = config.qlora() ? new Nf4Quantiser(manager) : null;
    try (Qwen3Model model = Qwen3Model.load(modelDir, manager,
            (module, base) -> lora.apply(module, quantiser == null ? base : quantiser.apply(module, base)),
            lora::fullTensor);
        Qwen3Tokenizer tokenizer = Qwen3Tokenizer.load(modelDir)) {
      lora.finishLoading();
      ChatEncoder encoder = new ChatEncoder(tokenizer, config.trainOn().equals("all"));
      DataFiles files = DataFiles.resolve(config.dataset(), config.evalDataset());
      Objective objective = config.method().equals("dpo")
          ? DpoObjective.load(model, encoder, files, config, run, checkpoint.isPresent())
          : SftObjective.load(model, encoder, files, config.maxLength(), config.batchSize());
      Trainer trainer = new Trainer(config, model, lora, objective, run);
      Map<String, Object> modelReport = modelReport(model, lora, quantiser);
      String trained = loraConfig.targetModules().isEmpty() ? "in full: " + loraConfig.modulesToSave()
          : "rank " + loraConfig.r() + " on " + loraConfig.targetModules()
              + (loraConfig.modulesToSave().isEmpty() ? "" : ", in full: " + loraConfig.modulesToSave());
      events.progress(String.format(java.util.Locale.ROOT,
          "%s on %s: %d trainable parameters (%s), %d steps of %d micro-batches of %d, %s",
          config.method(), modelDir, lora.parameterCount(), trained, trainer.totalSteps(), config.gradAccum(),
          config.batchSize(), objective.dataReport()));
      if (checkpoint.isPresent()) {
        trainer.restore(checkpoint.get());
      }
      Trainer.Outcome outcome = trainer.train(checkpoint.orElse(0), stop, events);
      Result result = new Result(outcome.status(), run.dir(),
          outcome.status().equals("completed") ? run.adapterDir() : null,
          outcome.step(), outcome.totalSteps(), outcome.lastMetrics(), objective.dataReport(), modelReport);
      run.writeResult(result.toMap());
      return result;
    }
  }

  /** The adapter's shape: from the starting adapter when there is one (it fixes rank and targets), else the config. */
  private static LoraConfig loraConfig(TrainingConfig config) {
    if (config.adapter() == null) {
      return config.lora();
    }
    LoraConfig saved = LoraConfig.read(Path.of(config.adapter()));
    return new LoraConfig(saved.r(), saved.loraAlpha(), config.dropout(), saved.targetModules(), saved.useRslora(),
        config.model(), saved.modulesToSave());
  }

  private static Map<String, Object> modelReport(Qwen3Model model, TrainableLora lora, Nf4Quantiser quantiser) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("base_parameters", Qwen3Layout.parameterCount(model.config()));
    report.put("trainable_parameters", lora.parameterCount());
    report.put("device", model.manager().getDevice().toString());
    if (quantiser != null) {
      report.put("nf4_base_weights", quantiser.weights());
      report.put("nf4_bits_per_weight", quantiser.bitsPerWeight());
    }
    return report;
  }
}
