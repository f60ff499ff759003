package net.b4mad.successor.optim;

/**
 * Linear warmup then cosine decay to zero, as transformers' {@code get_cosine_schedule_with_warmup}: the rate
 * for optimizer step {@code s} (0-based, the step being taken) is {@code peak * s / warmup} during warmup and
 * {@code peak * 0.5 * (1 + cos(pi * (s - warmup) / (total - warmup)))} after. A constant schedule is the
 * peak throughout, after the same warmup.
 */
public record LearningRateSchedule(double peak, int warmupSteps, int totalSteps, boolean cosine) {

  public LearningRateSchedule {
    if (peak <= 0) {
      throw new IllegalArgumentException("the learning rate must be positive, got " + peak);
    }
    if (warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException("warmup steps must be >= 0 and total steps >= 1");
    }
  }

  public double at(int step) {
    if (step < warmupSteps) {
      return peak * step / Math.max(1, warmupSteps);
    }
    if (!cosine) {
      return peak;
    }
    double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
