package net.b4mad.successor.generation;

/**
 * How the next token is chosen. Temperature 0 is greedy decoding; otherwise logits are divided by the
 * temperature, cut to the top-k tokens and to the smallest set whose probability reaches top-p, and sampled
 * with a generator seeded by {@code seed}, so a run is reproducible.
 *
 * @param topK 0 for no top-k cut
 * @param topP 1.0 for no nucleus cut
 */
public record SamplingSettings(double temperature, double topP, int topK, long seed, int maxNewTokens) {

  /** Qwen3's recommended settings for thinking mode: temperature 0.6, top-p 0.95, top-k 20. */
  public static final SamplingSettings QWEN3_DEFAULT = new SamplingSettings(0.6, 0.95, 20, 0, 512);

  public SamplingSettings {
    if (temperature < 0 || Double.isNaN(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0 (0 is greedy), got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top_k must be >= 0 (0 disables it), got " + topK);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("max_new_tokens must be at least 1, got " + maxNewTokens);
    }
  }

  public static SamplingSettings greedy(int maxNewTokens) {
    return new SamplingSettings(0, 1, 0, 0, maxNewTokens);
  }

  public boolean isGreedy() {
    return temperature == 0;
  }
}
