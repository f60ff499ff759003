package net.b4mad.successor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {

  private static final AdamW.Settings SETTINGS = new AdamW.Settings(0.9, 0.999, 1e-8, 0.1);
  private static final float[] START = {0.5f, -1.5f, 2f, 0.25f};

  /** The loss {@code sum(w^3)} gives gradient {@code 3 w^2}; steps follow torch.optim.AdamW's formula. */
  private static void backward(NDArray w) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      collector.backward(w.pow(3).sum());
    }
  }

  private static double[] reference(int steps, double lr) {
    return reference(steps, lr, SETTINGS.weightDecay());
  }

  private static double[] reference(int steps, double lr, double weightDecay) {
    double[] w = new double[START.length];
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = START[i];
    }
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < w.length; i++) {
        double g = 3 * w[i] * w[i];
        w[i] *= 1 - lr * weightDecay;
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mHat = m[i] / (1 - Math.pow(0.9, t));
        double denominator = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
        w[i] -= lr * mHat / denominator;
      }
    }
    return w;
  }

  @Test
  void stepsAsTorchAdamWDoes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(START, new ai.djl.ndarray.types.Shape(2, 2));
      w.setRequiresGradient(true);
      try (AdamW adam = new AdamW(SETTINGS, Map.of("w", w), manager)) {
        for (int step = 0; step < 5; step++) {
          backward(w);
          adam.step(0.01);
        }
        double[] expected = reference(5, 0.01);
        float[] actual = w.toFloatArray();
        for (int i = 0; i < actual.length; i++) {
          assertEquals(expected[i], actual[i], 1e-6);
        }
        assertEquals(5, adam.steps());
        assertArrayEquals(new float[4], Gradients.of(w, manager).toFloatArray(), "gradients zeroed after the step");
      }
    }
  }

  /** A vector (a norm's gain) is not decayed, as transformers' Trainer leaves norms out of weight decay. */
  @Test
  void vectorsAreNotDecayed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray gain = manager.create(START);
      gain.setRequiresGradient(true);
      try (AdamW adam = new AdamW(SETTINGS, Map.of("gain", gain), manager)) {
        for (int step = 0; step < 5; step++) {
          backward(gain);
          adam.step(0.01);
        }
        double[] expected = reference(5, 0.01, 0);
        float[] actual = gain.toFloatArray();
        for (int i = 0; i < actual.length; i++) {
          assertEquals(expected[i], actual[i], 1e-6);
        }
      }
    }
  }

  /** Saved moments restore the optimizer exactly: the next steps are those of an uninterrupted run. */
  @Test
  void savedStateContinuesTheSameTrajectory(@TempDir Path dir) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray w = manager.create(START, new ai.djl.ndarray.types.Shape(2, 2));
      w.setRequiresGradient(true);
      Map<String, NDArray> parameters = new LinkedHashMap<>(Map.of("w", w));
      try (AdamW adam = new AdamW(SETTINGS, parameters, manager)) {
        for (int step = 0; step < 3; step++) {
          backward(w);
          adam.step(0.01);
        }
        adam.save(dir.resolve("optimizer.safetensors"));
      }
      try (AdamW restored = new AdamW(SETTINGS, parameters, manager)) {
        restored.load(dir.resolve("optimizer.safetensors"));
        assertEquals(3, restored.steps());
        for (int step = 0; step < 2; step++) {
          backward(w);
          restored.step(0.01);
        }
      }
      double[] expected = reference(5, 0.01);
      float[] actual = w.toFloatArray();
      for (int i = 0; i < actual.length; i++) {
        assertEquals(expected[i], actual[i], 1e-6);
      }
    }
  }
}
