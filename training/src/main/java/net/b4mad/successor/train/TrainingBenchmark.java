package net.b4mad.successor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.device.ProcessMemory;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.lora.TrainableLora;
import net.b4mad.successor.optim.AdamW;
import net.b4mad.successor.optim.Gradients;
import net.b4mad.successor.quant.Nf4Quantiser;
import net.b4mad.successor.qwen3.Qwen3Benchmark;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.safetensors.SafetensorsWriter;

/**
 * {@code successor bench train}: training throughput on one fixed shape, so that figures compare across
 * changes: hidden 512, 8 layers, 8 query / 4 key-value heads of 64, intermediate 1536, vocab 8320, batches of 4
 * sequences of 512 tokens, LoRA rank 16 on all seven projections. For LoRA and QLoRA, with and without gradient
 * checkpointing: tokens/s, ms per step split into forward, backward and optimizer, peak resident memory.
 *
 * <p>Utilisation: the achieved FLOP/s, counted as 3 x the forward FLOPs per token, i.e. 6N (the usual model-FLOPs
 * convention: forward 2N, backward 4N), over the FLOP/s of the same matrix products (every projection, the LM
 * head, the attention products) run directly through DJL in this process. LoRA's backward computes no weight
 * gradient for the frozen base, so the FLOPs actually performed are about 4N per token (6N with checkpointing's
 * recomputation); that figure is reported too.
 */
public final class TrainingBenchmark {

  public static final Qwen3Config SHAPE =
      new Qwen3Config(8320, 512, 1536, 8, 8, 4, 64, 1e-6, 1_000_000.0, true, 4096, "float32", null, List.of());
  static final int SEQUENCE = 512;
  static final int BATCH = 4;
  static final int RANK = 16;

  private TrainingBenchmark() {}

  /** The measured settings, each best run in a fresh process so that its peak memory is its own. */
  public static final List<String> SETTINGS = List.of("lora", "lora_checkpointed", "qlora", "qlora_checkpointed");

  /** Writes the benchmark's random model (float32) to {@code workDir/model}. */
  public static Path writeModel(Path workDir) {
    Path modelDir = workDir.resolve("model");
    RandomQwen3.write(modelDir, SHAPE, 1, null, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    return modelDir;
  }

  /** What the figures describe. */
  public static Map<String, Object> header() {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("shape", "hidden 512, 8 layers, 8/4 heads x 64, intermediate 1536, vocab 8320, batch 4 x 512 tokens,"
        + " LoRA rank 16 on all linear layers, " + Runtime.getRuntime().availableProcessors() + " CPU threads");
    figures.put("forward_gflop_per_token", forwardFlopsPerToken(SHAPE, SEQUENCE) / 1e9);
    return figures;
  }

  /**
   * One setting ({@link #SETTINGS}): {@code steps} measured steps after one warm-up, medians, with the matrix
   * products' ceiling timed beside each step and the utilisation against it.
   */
  public static Map<String, Double> measureSetting(Path modelDir, String setting, int steps) {
    if (!SETTINGS.contains(setting)) {
      throw new IllegalArgumentException("unknown setting '" + setting + "'; the settings are " + SETTINGS);
    }
    boolean checkpointing = setting.endsWith("_checkpointed");
    Map<String, Double> figures = measure(modelDir, setting.startsWith("qlora"), checkpointing, steps);
    double forwardFlopsPerToken = forwardFlopsPerToken(SHAPE, SEQUENCE);
    double tokensPerSecond = figures.get("tokens_per_s");
    double ceiling = figures.get("matmul_ceiling_gflop_s") * 1e9;
    // forwardFlopsPerToken is 2N: training is counted as 6N; LoRA performs 4N (6N when recomputing)
    figures.put("utilisation_6n", 3 * forwardFlopsPerToken * tokensPerSecond / ceiling);
    figures.put("utilisation_performed", (checkpointing ? 3 : 2) * forwardFlopsPerToken * tokensPerSecond / ceiling);
    return figures;
  }

  private static Map<String, Double> measure(Path modelDir, boolean qlora, boolean checkpointing, int steps) {
    double startRss = ProcessMemory.residentBytes() / 1048576.0;
    LoraConfig config = new LoraConfig(RANK, 2 * RANK, 0.0, LoraConfig.ALL_LINEAR, false, null);
    NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice());
    TrainableLora lora = TrainableLora.fresh(config, 1, manager);
    Nf4Quantiser quantiser = qlora ? new Nf4Quantiser(manager) : null;
    try (Qwen3Model model = Qwen3Model.load(modelDir, manager,
            (module, base) -> lora.apply(module, quantiser == null ? base : quantiser.apply(module, base)));
        AdamW optimizer = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, 0), lora.parameters(), manager)) {
      double loaded = ProcessMemory.residentBytes() / 1048576.0;
      TrainingPass pass = new TrainingPass(model, checkpointing);
      TokenBatch batch = TokenBatch.of(randomSequences(new SplittableRandom(3)));
      Ceiling ceiling = new Ceiling(manager);
      double[] ceilingSeconds = new double[steps];
      double[] forward = new double[steps];
      double[] backward = new double[steps];
      double[] update = new double[steps];
      double[] total = new double[steps];
      for (int s = -1; s < steps; s++) {
        // The ceiling is timed next to each step, so both see the same load on a shared machine.
        double products = ceiling.seconds();
        long[] before = pass.timings();
        long start = System.nanoTime();
        try (NDManager step = manager.newSubManager()) {
          pass.backward(step, batch.tokens(), batch.padding(),
              hidden -> batch.targetLogProbs(model, hidden).mean().neg(), layer -> {});
        }
        long optimizerStart = System.nanoTime();
        Gradients.clipByGlobalNorm(lora.parameters().values(), 1.0, manager);
        optimizer.step(1e-4);
        long end = System.nanoTime();
        if (s >= 0) {
          ceilingSeconds[s] = products;
          long[] after = pass.timings();
          forward[s] = (after[0] - before[0]) / 1e6;
          backward[s] = (after[1] - before[1]) / 1e6;
          update[s] = (end - optimizerStart) / 1e6;
          total[s] = (end - start) / 1e6;
        }
      }
      Map<String, Double> figures = new LinkedHashMap<>();
      double step = Qwen3Benchmark.median(total);
      figures.put("tokens_per_s", BATCH * SEQUENCE / (step / 1000));
      figures.put("ms_per_step", step);
      figures.put("ms_forward", Qwen3Benchmark.median(forward));
      figures.put("ms_backward", Qwen3Benchmark.median(backward));
      figures.put("ms_optimizer", Qwen3Benchmark.median(update));
      figures.put("rss_mib_before_load", startRss);
      figures.put("rss_mib_after_load", loaded);
      figures.put("peak_rss_mib", ProcessMemory.peakResidentBytes() / 1048576.0);
      figures.put("matmul_ceiling_gflop_s", ceiling.flops / Qwen3Benchmark.median(ceilingSeconds) / 1e9);
      if (quantiser != null) {
        figures.put("nf4_bits_per_weight", quantiser.bitsPerWeight());
      }
      return figures;
    }
  }

  private static List<TrainingSequence> randomSequences(SplittableRandom random) {
    List<TrainingSequence> sequences = new ArrayList<>();
    for (int b = 0; b < BATCH; b++) {
      int[] tokens = random.ints(SEQUENCE, 0, SHAPE.vocabSize()).toArray();
      boolean[] trained = new boolean[SEQUENCE];
      Arrays.fill(trained, 1, SEQUENCE, true);
      sequences.add(new TrainingSequence("random" + b, tokens, trained));
    }
    return sequences;
  }

  /** Matrix-product FLOPs of one token's forward pass: projections, LM head, and attention over the sequence. */
  static double forwardFlopsPerToken(Qwen3Config c, int sequence) {
    double hidden = c.hiddenSize();
    double query = (double) c.numAttentionHeads() * c.headDim();
    double keyValue = (double) c.numKeyValueHeads() * c.headDim();
    double projections = hidden * query * 2 + hidden * keyValue * 2 + 3 * hidden * c.intermediateSize();
    double lora = 0;
    for (double[] inOut : new double[][] {{hidden, query}, {hidden, keyValue}, {hidden, keyValue}, {query, hidden},
        {hidden, c.intermediateSize()}, {hidden, c.intermediateSize()}, {c.intermediateSize(), hidden}}) {
      lora += RANK * (inOut[0] + inOut[1]);
    }
    double attention = 4 * sequence * query; // QK^T and PV, each 2 * T * d FLOPs per token, over the full T
    return c.numHiddenLayers() * (2 * (projections + lora) + attention) + 2 * hidden * c.vocabSize();
  }

  /** The forward matrix products of one training batch (projections, attention, LM head), run directly. */
  private static final class Ceiling {
    private final List<NDArray[]> products = new ArrayList<>();
    private final double flops;

    Ceiling(NDManager manager) {
      Qwen3Config c = SHAPE;
      long rows = (long) BATCH * SEQUENCE;
      long hidden = c.hiddenSize();
      long query = (long) c.numAttentionHeads() * c.headDim();
      long keyValue = (long) c.numKeyValueHeads() * c.headDim();
      long inter = c.intermediateSize();
      long[][] shapes = {{rows, hidden, query}, {rows, hidden, keyValue}, {rows, hidden, keyValue},
          {rows, query, hidden}, {rows, hidden, inter}, {rows, hidden, inter}, {rows, inter, hidden}};
      double total = 0;
      for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
        for (long[] shape : shapes) {
          add(manager, new Shape(shape[0], shape[1]), new Shape(shape[1], shape[2]));
          total += 2.0 * shape[0] * shape[1] * shape[2];
        }
        int heads = c.numAttentionHeads();
        add(manager, new Shape(BATCH, heads, SEQUENCE, c.headDim()), new Shape(BATCH, heads, c.headDim(), SEQUENCE));
        add(manager, new Shape(BATCH, heads, SEQUENCE, SEQUENCE), new Shape(BATCH, heads, SEQUENCE, c.headDim()));
        total += 2 * 2.0 * rows * SEQUENCE * query;
      }
      add(manager, new Shape(rows, hidden), new Shape(hidden, c.vocabSize()));
      this.flops = total + 2.0 * rows * hidden * c.vocabSize();
    }

    private void add(NDManager manager, Shape left, Shape right) {
      // One pair of operands per distinct shape is enough; layers reuse them.
      for (NDArray[] product : products) {
        if (product[0].getShape().equals(left) && product[1].getShape().equals(right)) {
          products.add(product);
          return;
        }
      }
      products.add(new NDArray[] {manager.randomNormal(left), manager.randomNormal(right)});
    }

    double seconds() {
      long start = System.nanoTime();
      for (NDArray[] product : products) {
        product[0].matMul(product[1]).close();
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * Real tokens over padded tokens for batches of 4 drawn from a log-normal length distribution like that of the
   * tool-calling traces (median ~780 tokens): length-grouped batches against a plain shuffle.
   */
  public static Map<String, Double> paddingEfficiency() {
    SplittableRandom random = new SplittableRandom(5);
    int[] lengths = new int[10_000];
    for (int i = 0; i < lengths.length; i++) {
      double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
      lengths[i] = (int) Math.min(4096, Math.max(32, Math.exp(Math.log(780) + 0.6 * gaussian)));
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("padding_efficiency.length_grouped",
        LengthGroupedBatches.paddingEfficiency(lengths, LengthGroupedBatches.epoch(lengths, BATCH, 1, 0)));
    figures.put("padding_efficiency.shuffled",
        LengthGroupedBatches.paddingEfficiency(lengths, LengthGroupedBatches.shuffledEpoch(lengths.length, BATCH, 1, 0)));
    return figures;
  }
}
