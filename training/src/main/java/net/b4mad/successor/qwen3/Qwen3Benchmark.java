package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.generation.TokenSampler;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.device.ProcessMemory;
import net.b4mad.successor.quant.Nf4Quantiser;

/**
 * Measures a model on this machine: load time, resident memory, prefill and decode throughput with and without
 * the KV cache, and, as the ceiling, the forward pass's matrix multiplications timed alone in libtorch.
 * Figures are medians over repetitions; the caller prints them.
 */
public final class Qwen3Benchmark {

  /** Measured figures, in the order they are printed. */
  public record Figures(Map<String, Object> values) {}

  private Qwen3Benchmark() {}

  public static Figures run(Path modelDir, int promptTokens, int decodeTokens, int repetitions) {
    Map<String, Object> figures = new LinkedHashMap<>();
    startEngine();
    long rssBefore = ProcessMemory.residentBytes();
    long start = System.nanoTime();
    try (Qwen3Model model = Qwen3Model.load(modelDir)) {
      figures.put("load_seconds", (System.nanoTime() - start) / 1e9);
      figures.put("resident_mib_after_load", ProcessMemory.residentBytes() / 1048576.0);
      figures.put("resident_mib_added_by_load", (ProcessMemory.residentBytes() - rssBefore) / 1048576.0);
      Qwen3Config config = model.config();
      int[] prompt = new SplittableRandom(1).ints(promptTokens, 0, config.vocabSize()).toArray();

      double prefill = median(repetitions, () -> timePrefill(model, prompt));
      figures.put("prefill_tokens", promptTokens);
      figures.put("prefill_tokens_per_second", promptTokens / prefill);

      double cached = median(repetitions, () -> timeDecode(model, prompt, decodeTokens, true));
      double uncached = median(repetitions, () -> timeDecode(model, prompt, decodeTokens, false));
      figures.put("decode_tokens", decodeTokens);
      figures.put("decode_tokens_per_second_kv_cache", decodeTokens / cached);
      figures.put("decode_tokens_per_second_no_cache", decodeTokens / uncached);
      figures.put("kv_cache_speedup", uncached / cached);

      double ceiling = median(repetitions, () -> timeMatmuls(model.manager(), config, promptTokens));
      figures.put("matmul_only_prefill_tokens_per_second", promptTokens / ceiling);
      figures.put("prefill_vs_matmul_ceiling", ceiling / prefill);
      double decodeCeiling = median(repetitions, () -> timeMatmuls(model.manager(), config, 1));
      figures.put("matmul_only_decode_tokens_per_second", 1 / decodeCeiling);
      figures.put("decode_kv_cache_vs_matmul_ceiling", decodeCeiling / (cached / decodeTokens));
      figures.put("resident_mib_peak", ProcessMemory.peakResidentBytes() / 1048576.0);
    }
    return new Figures(figures);
  }

  /**
   * NF4 base weights against float32 on the same model: the bits per base weight stored, the weights' size and
   * the resident memory that loading adds both ways, and prefill throughput both ways, whose difference is the
   * cost of dequantising every projection on every forward pass.
   *
   * <p>The float32 model is loaded first, the NF4 one beside it, so neither lands in memory the other freed.
   * Resident memory is read after a garbage collection: the tensors a load reads through (float32 tensors that
   * NF4 quantises and frees, the mapped checkpoint) are only returned by one.
   */
  public static Figures nf4(Path modelDir, int promptTokens, int repetitions) {
    Map<String, Object> figures = new LinkedHashMap<>();
    startEngine();
    long rssBefore = residentBytesAfterGc();
    long start = System.nanoTime();
    try (Qwen3Model fp32 = Qwen3Model.load(modelDir)) {
      figures.put("fp32_load_seconds", (System.nanoTime() - start) / 1e9);
      long rssFp32 = residentBytesAfterGc();
      figures.put("fp32_resident_mib_added_by_load", (rssFp32 - rssBefore) / 1048576.0);

      start = System.nanoTime();
      NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice());
      Nf4Quantiser quantiser = new Nf4Quantiser(manager);
      try (Qwen3Model nf4 = Qwen3Model.load(modelDir, manager, quantiser)) {
        figures.put("nf4_load_seconds", (System.nanoTime() - start) / 1e9);
        figures.put("nf4_resident_mib_added_by_load", (residentBytesAfterGc() - rssFp32) / 1048576.0);
        long parameters = Qwen3Layout.parameterCount(nf4.config());
        figures.put("fp32_weights_mib", parameters * 4 / 1048576.0);
        // As held: the projections at their stored bits, the embedding and norms in float32.
        figures.put("nf4_weights_mib", ((parameters - quantiser.weights()) * 4 + quantiser.storedBits() / 8) / 1048576.0);
        figures.put("nf4_base_weights", quantiser.weights());
        // Four decimals: the share of the constants (0.127 of a bit with double quantisation) is what it shows.
        figures.put("nf4_bits_per_base_weight", String.format(Locale.ROOT, "%.4f", quantiser.bitsPerWeight()));

        int[] prompt = new SplittableRandom(1).ints(promptTokens, 0, nf4.config().vocabSize()).toArray();
        // Alternated, so that load from other processes, which drifts over minutes, weighs on both alike.
        timePrefill(fp32, prompt);
        timePrefill(nf4, prompt);
        double[] fp32Samples = new double[repetitions];
        double[] nf4Samples = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
          fp32Samples[i] = timePrefill(fp32, prompt);
          nf4Samples[i] = timePrefill(nf4, prompt);
        }
        double fp32Prefill = median(fp32Samples);
        double nf4Prefill = median(nf4Samples);
        figures.put("prefill_tokens", promptTokens);
        figures.put("fp32_prefill_tokens_per_second", promptTokens / fp32Prefill);
        figures.put("nf4_prefill_tokens_per_second", promptTokens / nf4Prefill);
        figures.put("nf4_prefill_time_vs_fp32", nf4Prefill / fp32Prefill);
        double overheadMs = (nf4Prefill - fp32Prefill) * 1000;
        figures.put("nf4_extra_ms_per_forward", overheadMs);
        figures.put("nf4_extra_ms_per_million_base_weights", overheadMs / (quantiser.weights() / 1e6));
      }
    }
    figures.put("resident_mib_peak", ProcessMemory.peakResidentBytes() / 1048576.0);
    return new Figures(figures);
  }

  /** Loads libtorch, so its own memory is not counted as the model's. */
  private static void startEngine() {
    try (NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice())) {
      manager.ones(new Shape(8, 8)).matMul(manager.ones(new Shape(8, 8))).toFloatArray();
    }
  }

  private static long residentBytesAfterGc() {
    System.gc();
    try {
      Thread.sleep(200); // direct buffers are freed by their cleaners, just after the collection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ProcessMemory.residentBytes();
  }

  private static double timePrefill(Qwen3Model model, int[] prompt) {
    try (NDManager step = model.manager().newSubManager()) {
      long start = System.nanoTime();
      NDArray logits = model.forward(step, new int[][] {prompt}, null, null);
      logits.get(0, prompt.length - 1).toFloatArray(); // forces the computation to finish
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /** Seconds to produce {@code count} tokens greedily after the prompt (the prompt's own pass not counted). */
  private static double timeDecode(Qwen3Model model, int[] prompt, int count, boolean useCache) {
    TokenSampler greedy = new TokenSampler(SamplingSettings.greedy(1));
    try (KvCache cache = useCache ? model.newCache() : null) {
      int[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + count);
      int length = prompt.length;
      int[] input = prompt;
      long start = 0;
      for (int i = 0; i <= count; i++) {
        if (i == 1) {
          start = System.nanoTime();
        }
        try (NDManager step = model.manager().newSubManager()) {
          NDArray logits = model.forward(step, new int[][] {input}, null, cache);
          float[] last = logits.get(0, input.length - 1).toFloatArray();
          if (i == count) {
            break;
          }
          int next = greedy.next(last);
          sequence[length++] = next;
          input = useCache ? new int[] {next} : java.util.Arrays.copyOf(sequence, length);
        }
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * The prefill's projections and LM head for one sequence of {@code tokens}, timed on their own: the ceiling
   * (attention's own products are left out; at prompt lengths of a few hundred they are a few percent).
   */
  private static double timeMatmuls(NDManager parent, Qwen3Config c, int tokens) {
    try (NDManager m = parent.newSubManager()) {
      long h = c.hiddenSize();
      long q = (long) c.numAttentionHeads() * c.headDim();
      long kv = (long) c.numKeyValueHeads() * c.headDim();
      long inter = c.intermediateSize();
      long[][] shapes = {{h, q}, {h, kv}, {h, kv}, {q, h}, {h, inter}, {h, inter}, {inter, h}};
      List<NDArray[]> products = new ArrayList<>();
      for (long[] shape : shapes) {
        products.add(
            new NDArray[] {m.randomNormal(new Shape(tokens, shape[0])), m.randomNormal(new Shape(shape[0], shape[1]))});
      }
      NDArray head = m.randomNormal(new Shape(h, c.vocabSize()));
      long start = System.nanoTime();
      for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
        for (NDArray[] product : products) {
          product[0].matMul(product[1]).close();
        }
      }
      NDArray logits = m.randomNormal(new Shape(tokens, h)).matMul(head);
      logits.getFloat(0, 0);
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static double median(int repetitions, java.util.function.DoubleSupplier timing) {
    timing.getAsDouble(); // warm-up
    double[] samples = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      samples[i] = timing.getAsDouble();
    }
    return median(samples);
  }

  /** The middle sample, or the mean of the middle two (public: TrainingBenchmark reports medians too). */
  public static double median(double[] samples) {
    double[] sorted = samples.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
