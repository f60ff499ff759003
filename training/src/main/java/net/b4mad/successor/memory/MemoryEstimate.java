package net.b4mad.successor.memory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peak GPU memory of a LoRA or QLoRA training step, in bytes, by what holds it; see {@link MemoryEstimator}
 * for how each part is counted. {@code activations} are those stored while the logits exist (every layer's
 * input with gradient checkpointing, all layers' activations without); {@code recomputedLayer} is the one layer
 * that checkpointing rebuilds during the backward pass, which is never alive together with the logits.
 */
public record MemoryEstimate(
    long baseParameters,
    long trainableParameters,
    long baseWeights,
    long adapterWeights,
    long gradients,
    long optimizerState,
    long activations,
    long recomputedLayer,
    long logits,
    long overhead,
    long gpuBytes) {

  private static final double GIB = 1L << 30;

  public long total() {
    return baseWeights + adapterWeights + gradients + optimizerState + activations + Math.max(logits, recomputedLayer)
        + overhead;
  }

  public boolean fits() {
    return total() <= gpuBytes;
  }

  /** Each amount as bytes and GiB, the total, and whether it fits the GPU. */
  public Map<String, Object> toJson() {
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("base_weights", amount(baseWeights));
    memory.put("adapter_weights", amount(adapterWeights));
    memory.put("gradients", amount(gradients));
    memory.put("optimizer_state", amount(optimizerState));
    memory.put("activations", amount(activations));
    memory.put("recomputed_layer", amount(recomputedLayer));
    memory.put("logits", amount(logits));
    memory.put("overhead", amount(overhead));
    memory.put("total", amount(total()));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("base_parameters", baseParameters);
    json.put("trainable_parameters", trainableParameters);
    json.put("memory", memory);
    json.put("gpu", amount(gpuBytes));
    json.put("fits", fits());
    json.put("headroom", amount(gpuBytes - total()));
    return json;
  }

  private static Map<String, Object> amount(long bytes) {
    Map<String, Object> amount = new LinkedHashMap<>();
    amount.put("bytes", bytes);
    amount.put("gib", Math.round(bytes / GIB * 100) / 100.0);
    return amount;
  }
}
