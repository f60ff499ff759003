package net.b4mad.successor.lora;

/**
 * LoRA dropout, shared by every projection of one adapter: on for training steps, off for evaluation and
 * inference, as {@code model.train()} / {@code model.eval()} switch it in PyTorch.
 */
public final class LoraDropout {

  private final float rate;
  private boolean training;

  public LoraDropout(double rate) {
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + rate);
    }
    this.rate = (float) rate;
  }

  public static LoraDropout none() {
    return new LoraDropout(0);
  }

  public float rate() {
    return rate;
  }

  public boolean active() {
    return training && rate > 0;
  }

  public void train(boolean on) {
    this.training = on;
  }
}
