package net.b4mad.successor.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BooleanSupplier;
import net.b4mad.successor.qwen3.KvCache;
import net.b4mad.successor.qwen3.Qwen3Model;

/**
 * Autoregressive decoding. With the KV cache, the prompt is run once and each new token costs one position;
 * without it, every step recomputes the whole prefix (kept for the benchmark and as the cache's reference).
 */
public final class Generator {

  private final Qwen3Model model;

  public Generator(Qwen3Model model) {
    this.model = model;
  }

  /**
   * @param stopIds token ids that end generation (eos ids, {@code <|im_end|>})
   * @param cancelled polled between tokens; generation stops early when it turns true
   */
  public Generation generate(
      int[] prompt, SamplingSettings settings, Set<Integer> stopIds, boolean useCache, BooleanSupplier cancelled) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("the prompt has no tokens");
    }
    TokenSampler sampler = new TokenSampler(settings);
    int[] sequence = Arrays.copyOf(prompt, prompt.length + settings.maxNewTokens());
    int length = prompt.length;
    String reason = "max_new_tokens";
    try (KvCache cache = useCache ? model.newCache() : null) {
      int[] input = prompt;
      while (length - prompt.length < settings.maxNewTokens() && !cancelled.getAsBoolean()) {
        int next;
        try (NDManager step = model.manager().newSubManager()) {
          NDArray logits = model.forward(step, new int[][] {input}, null, cache);
          next = sampler.next(logits.get(0, input.length - 1).toFloatArray());
        }
        sequence[length++] = next;
        if (stopIds.contains(next)) {
          reason = "stop_token";
          break;
        }
        input = useCache ? new int[] {next} : Arrays.copyOf(sequence, length);
      }
      if (!reason.equals("stop_token") && cancelled.getAsBoolean()) {
        reason = "cancelled";
      }
    }
    return new Generation(Arrays.copyOfRange(sequence, prompt.length, length), reason, prompt.length);
  }
}
