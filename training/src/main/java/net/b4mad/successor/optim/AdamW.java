package net.b4mad.successor.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsFile;
import net.b4mad.successor.safetensors.SafetensorsWriter;

/**
 * AdamW with decoupled weight decay, step for step what {@code torch.optim.AdamW} (not amsgrad, not fused)
 * computes: {@code p *= 1 - lr*wd; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
 * p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}. Its own rather than DJL's so that the moments can be
 * saved in a checkpoint and restored bit for bit. Weight decay skips vectors (the norms' gains), as transformers'
 * Trainer leaves norms and biases out of its decayed parameters: decay pulls a gain towards zero, not towards one.
 */
public final class AdamW implements AutoCloseable {

  /** The hyper-parameters; PyTorch's defaults are {@code 0.9, 0.999, 1e-8}. */
  public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {

    public Settings {
      if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
        throw new IllegalArgumentException("adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
      }
      if (epsilon <= 0 || weightDecay < 0) {
        throw new IllegalArgumentException("adam epsilon must be positive and weight decay not negative");
      }
    }
  }

  private static final String FIRST = ".exp_avg";
  private static final String SECOND = ".exp_avg_sq";

  private final Settings settings;
  private final Map<String, NDArray> parameters;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  /** @param parameters the trainable arrays by name; the moments live in a sub-manager of {@code manager} */
  public AdamW(Settings settings, Map<String, NDArray> parameters, NDManager manager) {
    this.settings = settings;
    this.parameters = parameters;
    this.manager = manager.newSubManager();
    parameters.forEach((name, p) -> {
      firstMoments.put(name, this.manager.zeros(p.getShape()));
      secondMoments.put(name, this.manager.zeros(p.getShape()));
    });
  }

  /** Updates done so far. */
  public long steps() {
    return steps;
  }

  /** Applies the accumulated gradients with learning rate {@code lr}, then zeroes them for the next step. */
  public void step(double lr) {
    steps++;
    double correction1 = 1 - Math.pow(settings.beta1(), steps);
    double correction2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), steps));
    float decay = (float) (1 - lr * settings.weightDecay());
    float stepSize = (float) (lr / correction1);
    try (NDManager scratch = manager.newSubManager()) {
      parameters.forEach((name, p) -> {
        NDArray g = Gradients.of(p, scratch);
        NDArray m = firstMoments.get(name);
        NDArray v = secondMoments.get(name);
        m.muli((float) settings.beta1()).addi(g.mul((float) (1 - settings.beta1())));
        v.muli((float) settings.beta2()).addi(g.square().muli((float) (1 - settings.beta2())));
        NDArray denominator = scratchResult(v.sqrt(), scratch).divi((float) correction2Sqrt)
            .addi((float) settings.epsilon());
        NDArray update = scratchResult(m.div(denominator), scratch).muli(stepSize);
        if (decay != 1f && p.getShape().dimension() > 1) {
          p.muli(decay);
        }
        p.subi(update);
        g.set(new NDIndex("..."), 0f);
      });
    }
  }

  /** Ops called on the long-lived moments land in their manager; move the results to the step's scratch. */
  private static NDArray scratchResult(NDArray result, NDManager scratch) {
    result.attach(scratch);
    return result;
  }

  /** The moments and the step count, as a safetensors file beside a checkpoint's adapter. */
  public void save(Path file) {
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    for (String name : parameters.keySet()) {
      NDArray m = firstMoments.get(name);
      NDArray v = secondMoments.get(name);
      tensors.add(SafetensorsWriter.Tensor.of(name + FIRST, Dtype.F32, m.toFloatArray(), m.getShape().getShape()));
      tensors.add(SafetensorsWriter.Tensor.of(name + SECOND, Dtype.F32, v.toFloatArray(), v.getShape().getShape()));
    }
    SafetensorsWriter.writeFile(file, tensors, Map.of("step", Long.toString(steps)));
  }

  /** Restores what {@link #save} wrote, for the same parameters. */
  public void load(Path file) {
    try (SafetensorsFile saved = SafetensorsFile.open(file)) {
      for (String name : parameters.keySet()) {
        for (String suffix : List.of(FIRST, SECOND)) {
          if (!saved.contains(name + suffix)) {
            throw new IllegalArgumentException(
                file + " has no optimizer state for " + name + ": it belongs to another adapter");
          }
          NDArray target = (suffix.equals(FIRST) ? firstMoments : secondMoments).get(name);
          target.set(saved.readFloats(name + suffix));
        }
      }
      String step = saved.metadata().get("step");
      if (step == null) {
        throw new IllegalArgumentException(file + " does not say how many steps were taken (metadata 'step')");
      }
      steps = Long.parseLong(step);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
