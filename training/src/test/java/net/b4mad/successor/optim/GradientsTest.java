package net.b4mad.successor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientsTest {

  /** Two arrays with gradients (3, 4) and (12): global norm 13; clipped to 1.3 each is scaled by 1/10. */
  @Test
  void clipsByTheGlobalNormNotPerElement() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {3, 4});
      NDArray b = manager.create(new float[] {12});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(a.mul(a).div(2).sum().add(b.mul(b).div(2).sum()));
      }
      double norm = Gradients.clipByGlobalNorm(List.of(a, b), 1.3, manager);
      assertEquals(13, norm, 1e-5);
      assertArrayEquals(new float[] {0.3f, 0.4f}, Gradients.of(a, manager).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {1.2f}, Gradients.of(b, manager).toFloatArray(), 1e-6f);
      assertEquals(1.3, Gradients.clipByGlobalNorm(List.of(a, b), 5, manager), 1e-5, "below the limit: unchanged");
      Gradients.zero(List.of(a, b), manager);
      assertEquals(0, Gradients.globalNorm(List.of(a, b), manager));
    }
  }
}
