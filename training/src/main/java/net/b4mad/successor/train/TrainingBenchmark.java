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
 * <p>Utilisation: the achieved FLOP/s, counted as {@code 6 x} the forward FLOPs per token (the usual model-FLOPs
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

  /** Writes the model to {@code workDir} and measures; {@code steps} measured steps per setting after one warm-up. */
  public static Map<String, Object> run(Path workDir, int steps) {
    Path modelDir = workDir.resolve("model");
    RandomQwen3.write(modelDir, SHAPE, 1, null, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("shape", "hidden 512, 8 layers, 8/4 heads x 64, intermediate 1536, vocab 8320, batch 4 x 512 tokens,"
        + " LoRA rank 16 on all linear layers, " + Runtime.getRuntime().availableProcessors() + " CPU threads");
    double forwardFlopsPerToken = forwardFlopsPerToken(SHAPE, SEQUENCE);
    figures.put("forward_gflop_per_token", forwardFlopsPerToken / 1e9);
    double ceiling;
    try (NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice())) {
      ceiling = matmulFlopsPerSecond(manager, steps);
    }
    figures.put("matmul_ceiling_gflop_s", ceiling / 1e9);
    for (boolean qlora : new boolean[] {true, false}) {
      for (boolean checkpointing : new boolean[] {false, true}) {
        String name = (qlora ? "qlora" : "lora") + (checkpointing ? "_checkpointed" : "");
        Map<String, Double> setting = measure(modelDir, qlora, checkpointing, steps);
        double tokensPerSecond = setting.get("tokens_per_s");
        // forwardFlopsPerToken is 2N: training is counted as 6N, LoRA performs 4N (6N when recomputing)
        setting.put("utilisation_6n", 3 * forwardFlopsPerToken * tokensPerSecond / ceiling);
        setting.put("utilisation_performed",
            (checkpointing ? 3 : 2) * forwardFlopsPerToken * tokensPerSecond / ceiling);
        setting.forEach((key, value) -> figures.put(name + "." + key, value));
      }
    }
    figures.putAll(paddingEfficiency());
    return figures;
  }

  private static Map<String, Double> measure(Path modelDir, boolean qlora, boolean checkpointing, int steps) {
    ProcessMemory.resetPeak();
    LoraConfig config = new LoraConfig(RANK, 2 * RANK, 0.0, LoraConfig.ALL_LINEAR, false, null);
    NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice());
    TrainableLora lora = TrainableLora.fresh(config, 1, manager);
    Nf4Quantiser quantiser = qlora ? new Nf4Quantiser(manager) : null;
    try (Qwen3Model model = Qwen3Model.load(modelDir, manager,
            (module, base) -> lora.apply(module, quantiser == null ? base : quantiser.apply(module, base)));
        AdamW optimizer = new AdamW(new AdamW.Settings(0.9, 0.999, 1e-8, 0), lora.parameters(), manager)) {
      TrainingPass pass = new TrainingPass(model, checkpointing);
      TokenBatch batch = TokenBatch.of(randomSequences(new SplittableRandom(3)));
      double[] forward = new double[steps];
      double[] backward = new double[steps];
      double[] update = new double[steps];
      double[] total = new double[steps];
      for (int s = -1; s < steps; s++) {
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
          long[] after = pass.timings();
          forward[s] = (after[0] - before[0]) / 1e6;
          backward[s] = (after[1] - before[1]) / 1e6;
          update[s] = (end - optimizerStart) / 1e6;
          total[s] = (end - start) / 1e6;
        }
      }
      Map<String, Double> figures = new LinkedHashMap<>();
      double step = median(total);
      figures.put("tokens_per_s", BATCH * SEQUENCE / (step / 1000));
      figures.put("ms_per_step", step);
      figures.put("ms_forward", median(forward));
      figures.put("ms_backward", median(backward));
      figures.put("ms_optimizer", median(update));
      figures.put("peak_rss_mib", ProcessMemory.peakResidentBytes() / 1048576.0);
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

  /** FLOP/s of the forward products of one training batch, each timed directly through DJL; median of runs. */
  private static double matmulFlopsPerSecond(NDManager manager, int runs) {
    Qwen3Config c = SHAPE;
    long rows = (long) BATCH * SEQUENCE;
    long hidden = c.hiddenSize();
    long query = (long) c.numAttentionHeads() * c.headDim();
    long keyValue = (long) c.numKeyValueHeads() * c.headDim();
    long inter = c.intermediateSize();
    long[][] shapes = {{hidden, query}, {hidden, keyValue}, {hidden, keyValue}, {query, hidden},
        {hidden, inter}, {hidden, inter}, {inter, hidden}};
    List<NDArray[]> products = new ArrayList<>();
    for (long[] shape : shapes) {
      products.add(new NDArray[] {manager.randomNormal(new Shape(rows, shape[0])),
          manager.randomNormal(new Shape(shape[0], shape[1]))});
    }
    NDArray headInput = manager.randomNormal(new Shape(rows, hidden));
    NDArray head = manager.randomNormal(new Shape(hidden, c.vocabSize()));
    NDArray queries = manager.randomNormal(new Shape(BATCH, c.numAttentionHeads(), SEQUENCE, c.headDim()));
    NDArray keys = manager.randomNormal(new Shape(BATCH, c.numAttentionHeads(), c.headDim(), SEQUENCE));
    NDArray probabilities = manager.randomNormal(new Shape(BATCH, c.numAttentionHeads(), SEQUENCE, SEQUENCE));
    NDArray values = manager.randomNormal(new Shape(BATCH, c.numAttentionHeads(), SEQUENCE, c.headDim()));
    double flops = 0;
    for (long[] shape : shapes) {
      flops += 2.0 * rows * shape[0] * shape[1];
    }
    flops = c.numHiddenLayers() * (flops + 2.0 * 2 * rows * SEQUENCE * query) + 2.0 * rows * hidden * c.vocabSize();
    double[] seconds = new double[runs];
    for (int run = -1; run < runs; run++) {
      long start = System.nanoTime();
      for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
        for (NDArray[] product : products) {
          product[0].matMul(product[1]).close();
        }
        queries.matMul(keys).close();
        probabilities.matMul(values).close();
      }
      headInput.matMul(head).close();
      if (run >= 0) {
        seconds[run] = (System.nanoTime() - start) / 1e9;
      }
    }
    return flops / median(seconds);
  }

  /**
   * Real tokens over padded tokens for batches of 4 drawn from a log-normal length distribution like that of the
   * tool-calling traces (median ~780 tokens): length-grouped batches against a plain shuffle.
   */
  static Map<String, Double> paddingEfficiency() {
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

  private static double median(double[] samples) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
