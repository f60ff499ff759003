package net.b4mad.successor.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import net.b4mad.successor.device.ProcessMemory;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.TrainableLora;
import net.b4mad.successor.optim.AdamW;
import net.b4mad.successor.optim.Gradients;
import net.b4mad.successor.optim.LearningRateSchedule;
import net.b4mad.successor.qwen3.Qwen3Model;

/**
 * The training loop every recipe shares: length-grouped micro-batches in a seed-determined order, gradient
 * accumulation with the loss averaged over the whole step, clipping by global norm, AdamW on a warmup + cosine
 * schedule, a metrics line every {@code logging_steps}, evaluation every {@code eval_steps}, and a checkpoint
 * every {@code save_steps} (and at the end, and when asked to stop). Everything random derives from the seed
 * and the step (data order from the epoch, dropout from step, micro-batch and layer), so a run resumed from a
 * checkpoint takes the same steps an uninterrupted run takes.
 */
public final class Trainer {

  /** How the loop ended: {@code completed}, or {@code stopped} (asked to, after saving a checkpoint). */
  public record Outcome(String status, int step, int totalSteps, Map<String, Object> lastMetrics) {}

  private final TrainingConfig config;
  private final Qwen3Model model;
  private final TrainableLora lora;
  private final Objective objective;
  private final RunDirectory run;
  private final AdamW optimizer;
  private final TrainingPass pass;
  private final int[] lengths;
  private final int stepsPerEpoch;
  private final int totalSteps;
  private final LearningRateSchedule schedule;
  private final Collection<NDArray> parameters;
  private int orderEpoch = -1;
  private List<int[]> order;

  public Trainer(TrainingConfig config, Qwen3Model model, TrainableLora lora, Objective objective, RunDirectory run) {
    this.config = config;
    this.model = model;
    this.lora = lora;
    this.objective = objective;
    this.run = run;
    this.lengths = objective.trainLengths();
    if (lengths.length == 0) {
      throw new IllegalArgumentException("no training examples are left to train on (see the data report)");
    }
    int microBatches = (lengths.length + config.batchSize() - 1) / config.batchSize();
    this.stepsPerEpoch = (microBatches + config.gradAccum() - 1) / config.gradAccum();
    this.totalSteps = config.maxSteps() != null ? config.maxSteps() : stepsPerEpoch * config.epochs();
    int warmup = (int) Math.ceil(config.warmupRatio() * totalSteps);
    this.schedule = new LearningRateSchedule(config.lr(), warmup, totalSteps, config.scheduler().equals("cosine"));
    this.parameters = lora.parameters().values();
    this.optimizer = new AdamW(
        new AdamW.Settings(0.9, 0.999, 1e-8, config.weightDecay()), lora.parameters(), model.manager());
    this.pass = new TrainingPass(model, config.gradientCheckpointing());
  }

  public int totalSteps() {
    return totalSteps;
  }

  /** Restores the optimizer state of the checkpoint at {@code step} (the adapter was loaded with the model). */
  public void restore(int step) {
    optimizer.load(run.checkpoint(step).resolve(RunDirectory.OPTIMIZER));
    if (optimizer.steps() != step) {
      throw new IllegalStateException(
          run.checkpoint(step) + " holds optimizer state after " + optimizer.steps() + " steps, not " + step);
    }
  }

  /**
   * Trains from {@code startStep} (0, or the step of the restored checkpoint) to the end.
   *
   * @param stop polled before every step: true saves a checkpoint and returns
   * @param events a human-readable line per logged step, and each checkpoint
   */
  public Outcome train(int startStep, BooleanSupplier stop, TrainingEvents events) {
    Map<String, Object> last = Map.of();
    Window window = new Window();
    int step = startStep;
    while (step < totalSteps) {
      if (stop.getAsBoolean()) {
        saveCheckpoint(step);
        events.checkpoint(step, run.checkpoint(step), last);
        events.progress("stopped at step " + step + "; checkpoint saved in " + run.checkpoint(step));
        return new Outcome("stopped", step, totalSteps, last);
      }
      long start = System.nanoTime();
      List<int[]> microBatches = microBatches(step);
      double units = objective.units(microBatches);
      Map<String, Double> sums = new LinkedHashMap<>();
      lora.dropout().train(true);
      try {
        for (int m = 0; m < microBatches.size(); m++) {
          try (NDManager scope = model.manager().newSubManager()) {
            objective.train(scope, pass, microBatches.get(m), units, reseeding(step, m))
                .forEach((key, value) -> sums.merge(key, value, Double::sum));
          }
        }
      } finally {
        lora.dropout().train(false);
      }
      double gradNorm = config.maxGradNorm() > 0
          ? Gradients.clipByGlobalNorm(parameters, config.maxGradNorm(), model.manager())
          : Gradients.globalNorm(parameters, model.manager());
      double lr = schedule.at(step);
      if (Double.isFinite(gradNorm)) {
        optimizer.step(lr);
      } else {
        // A non-finite gradient would poison the moments for good: skip the update, as mixed-precision
        // trainers skip an overflowed step, and say so in the metrics.
        Gradients.zero(parameters, model.manager());
        window.skipped++;
      }
      step++;
      window.add(sums, lr, gradNorm, (System.nanoTime() - start) / 1e9);

      boolean end = step == totalSteps;
      Map<String, Double> eval = step % config.evalSteps() == 0 || end ? evaluate() : Map.of();
      if (step % config.loggingSteps() == 0 || end || !eval.isEmpty()) {
        last = window.metrics(step, totalSteps, (double) step / stepsPerEpoch, eval);
        run.appendMetrics(last);
        events.progress(progressLine(last));
        window = new Window();
      }
      if (step % config.saveSteps() == 0 || end) {
        saveCheckpoint(step);
        events.checkpoint(step, run.checkpoint(step), last);
      }
    }
    lora.saveAtomically(run.adapterDir());
    return new Outcome("completed", step, totalSteps, last);
  }

  /** The micro-batches of optimizer step {@code step}: the epoch's order, {@code grad_accum} at a time. */
  List<int[]> microBatches(int step) {
    int epoch = step / stepsPerEpoch;
    if (epoch != orderEpoch) {
      // The order depends on the epoch alone: shuffling and sorting every item again for each step is waste.
      order = LengthGroupedBatches.epoch(lengths, config.batchSize(), config.seed(), epoch);
      orderEpoch = epoch;
    }
    int from = (step % stepsPerEpoch) * config.gradAccum();
    return new ArrayList<>(order.subList(from, Math.min(order.size(), from + config.gradAccum())));
  }

  private Map<String, Double> evaluate() {
    try (NDManager scope = model.manager().newSubManager()) {
      return objective.evaluate(scope, pass);
    }
  }

  /** Each layer's dropout masks follow from (seed, step, micro-batch, layer), in both passes of checkpointing. */
  private IntConsumer reseeding(int step, int microBatch) {
    if (!lora.dropout().active()) {
      return layer -> {};
    }
    return layer -> {
      long mixed = config.seed() * 0x9E3779B97F4A7C15L + ((long) step * 1_000_003L + microBatch) * 1_009L + layer;
      Engine.getInstance().setRandomSeed((int) (mixed ^ (mixed >>> 32)) & Integer.MAX_VALUE);
    };
  }

  private void saveCheckpoint(int step) {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("step", step);
    state.put("total_steps", totalSteps);
    state.put("epoch", (double) step / stepsPerEpoch);
    state.put("data_epoch", step / stepsPerEpoch);
    state.put("next_micro_batch", (step % stepsPerEpoch) * config.gradAccum());
    state.put("seed", config.seed());
    state.put("rng", "data order, LoRA init and dropout derive from seed, epoch, step, micro-batch and layer");
    try {
      AtomicFiles.writeDirectory(run.checkpoint(step), dir -> {
        lora.save(dir);
        optimizer.save(dir.resolve(RunDirectory.OPTIMIZER));
        AtomicFiles.writeString(dir.resolve(RunDirectory.TRAINER_STATE), Json.writePretty(state) + "\n");
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + run.checkpoint(step) + ": " + e.getMessage(), e);
    }
    run.pruneCheckpoints(config.saveTotalLimit());
  }

  private static String progressLine(Map<String, Object> metrics) {
    StringBuilder line = new StringBuilder();
    metrics.forEach((key, value) -> {
      if (line.length() > 0) {
        line.append("  ");
      }
      line.append(key).append(' ').append(value instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : value);
    });
    return line.toString();
  }

  /** What happened since the last metrics line: step values averaged, throughput over the whole window. */
  private static final class Window {
    private final Map<String, Double> sums = new LinkedHashMap<>();
    private int steps;
    private int skipped;
    private double seconds;
    private double tokens;
    private double lr;
    private double gradNorm;

    void add(Map<String, Double> step, double lr, double gradNorm, double seconds) {
      step.forEach((key, value) -> {
        if (key.equals("tokens")) {
          tokens += value;
        } else {
          sums.merge(key, value, Double::sum);
        }
      });
      steps++;
      this.seconds += seconds;
      this.lr = lr;
      this.gradNorm = gradNorm;
    }

    Map<String, Object> metrics(int step, int totalSteps, double epoch, Map<String, Double> eval) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("step", step);
      metrics.put("total_steps", totalSteps);
      metrics.put("epoch", epoch);
      sums.forEach((key, value) -> metrics.put(key, value / Math.max(1, steps)));
      metrics.put("lr", lr);
      metrics.put("grad_norm", gradNorm);
      eval.forEach((key, value) -> metrics.put("eval_" + key, value));
      metrics.put("tokens_per_s", seconds > 0 ? tokens / seconds : 0);
      metrics.put("ms_per_step", steps > 0 ? 1000 * seconds / steps : 0);
      metrics.put("rss_mib", ProcessMemory.residentBytes() / 1048576.0);
      metrics.put("peak_rss_mib", ProcessMemory.peakResidentBytes() / 1048576.0);
      if (skipped > 0) {
        metrics.put("skipped_steps", skipped);
      }
      return metrics;
    }
  }
}
