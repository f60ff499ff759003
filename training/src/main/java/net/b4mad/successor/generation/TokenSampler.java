package net.b4mad.successor.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from one position's logits, as {@link SamplingSettings} describe. */
public final class TokenSampler {

  private final SamplingSettings settings;
  private final SplittableRandom random;

  public TokenSampler(SamplingSettings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
  }

  public int next(float[] logits) {
    if (settings.isGreedy()) {
      return argMax(logits);
    }
    Integer[] order = new Integer[logits.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Ties broken by token id so that the order, and hence the sample, is reproducible.
    Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
    int keep = settings.topK() > 0 ? Math.min(settings.topK(), order.length) : order.length;
    double max = logits[order[0]] / settings.temperature();
    double[] probs = new double[keep];
    double total = 0;
    for (int i = 0; i < keep; i++) {
      probs[i] = Math.exp(logits[order[i]] / settings.temperature() - max);
      total += probs[i];
    }
    // Nucleus: the smallest prefix whose probability reaches top-p (always at least one token).
    double cumulative = 0;
    int nucleus = keep;
    for (int i = 0; i < keep; i++) {
      cumulative += probs[i] / total;
      if (cumulative >= settings.topP()) {
        nucleus = i + 1;
        break;
      }
    }
    double mass = 0;
    for (int i = 0; i < nucleus; i++) {
      mass += probs[i];
    }
    double draw = random.nextDouble() * mass;
    for (int i = 0; i < nucleus; i++) {
      draw -= probs[i];
      if (draw < 0) {
        return order[i];
      }
    }
    return order[nucleus - 1];
  }

  static int argMax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }
}
