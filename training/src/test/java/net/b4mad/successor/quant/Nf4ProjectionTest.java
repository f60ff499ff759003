package net.b4mad.successor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.lora.LoraDropout;
import net.b4mad.successor.lora.LoraProjection;
import net.b4mad.successor.qwen3.DenseProjection;
import net.b4mad.successor.qwen3.Projection;
import net.b4mad.successor.qwen3.Qwen3Model;
import org.junit.jupiter.api.Test;

class Nf4ProjectionTest {

  private static final Path TINY = SharedFixtures.resolve("qwen3-tiny/untied-f32");
  private static final int[] TOKENS = {3, 17, 256, 999, 42, 42, 7, 511, 128, 64, 5, 900};

  @Test
  void dequantisingInLibtorchGivesTheSameFloatsAsInJava() {
    // Shapes with a partial last block, an odd element count, and several 256-blocks of absmax.
    long[][] shapes = {{3, 70}, {3, 7}, {260, 64}, {64, 1}};
    try (NDManager manager = NDManager.newBaseManager()) {
      for (long[] shape : shapes) {
        float[] w = Nf4TensorTest.gaussian((int) (shape[0] * shape[1]), shape[0]);
        Nf4Tensor q = Nf4Tensor.quantise(w, shape);
        NDArray dequantised = new Nf4Projection(q, manager).dequantise(manager);
        assertEquals(new Shape(shape), dequantised.getShape());
        assertArrayEquals(q.dequantise(), dequantised.toFloatArray(), 0f, "shape " + shape[0] + "x" + shape[1]);
      }
    }
  }

  @Test
  void applyIsTheProductWithTheDequantisedWeight() {
    int out = 96;
    int in = 48;
    Nf4Tensor q = Nf4Tensor.quantise(Nf4TensorTest.gaussian(out * in, 7), out, in);
    float[] w = q.dequantise();
    float[] x = Nf4TensorTest.gaussian(2 * 5 * in, 8);
    try (NDManager manager = NDManager.newBaseManager()) {
      Nf4Projection projection = new Nf4Projection(q, manager);
      assertEquals(in, projection.inFeatures());
      assertEquals(out, projection.outFeatures());
      NDArray y = projection.apply(manager.create(x, new Shape(2, 5, in)));
      assertEquals(new Shape(2, 5, out), y.getShape());
      float[] actual = y.toFloatArray();
      for (int row = 0; row < 10; row++) {
        for (int o = 0; o < out; o++) {
          double expected = 0;
          for (int i = 0; i < in; i++) {
            expected += (double) x[row * in + i] * w[o * in + i];
          }
          assertEquals(expected, actual[row * out + o], 1e-4 * (1 + Math.abs(expected)), "row " + row + " out " + o);
        }
      }
    }
  }

  @Test
  void applyLeavesOnlyItsResultBehind() {
    try (NDManager weights = NDManager.newBaseManager()) {
      Nf4Projection projection = new Nf4Projection(Nf4Tensor.quantise(Nf4TensorTest.gaussian(64 * 64, 9), 64, 64), weights);
      int weightArrays = weights.getManagedArrays().size();
      try (NDManager step = weights.newSubManager()) {
        NDArray x = step.randomNormal(new Shape(3, 64));
        int before = step.getManagedArrays().size();
        for (int i = 0; i < 5; i++) {
          projection.apply(x);
        }
        assertEquals(before + 5, step.getManagedArrays().size(), "one result per call, no intermediates");
      }
      assertEquals(weightArrays, weights.getManagedArrays().size(), "nothing lands among the weights");
    }
  }

  /** LoRA wraps the NF4 base: gradients reach A and B as they would over the dequantised float32 weight. */
  @Test
  void loraOverAnNf4BaseTrainsLikeLoraOverTheDequantisedWeight() {
    int out = 64;
    int in = 32;
    int rank = 4;
    Nf4Tensor q = Nf4Tensor.quantise(Nf4TensorTest.gaussian(out * in, 10), out, in);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(Nf4TensorTest.gaussian(6 * in, 11), new Shape(6, in));
      float[] a = Nf4TensorTest.gaussian(rank * in, 12);
      float[] b = Nf4TensorTest.gaussian(out * rank, 13);
      float[][] nf4 = loraGradients(new Nf4Projection(q, manager), manager, x, a, b);
      float[][] dense =
          loraGradients(new DenseProjection(manager.create(q.dequantise(), new Shape(out, in))), manager, x, a, b);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(dense[i], nf4[i], 1e-3f, i == 0 ? "output" : i == 1 ? "grad A" : "grad B");
      }
    }
  }

  private static float[][] loraGradients(Projection base, NDManager manager, NDArray x, float[] a, float[] b) {
    try (NDManager step = manager.newSubManager()) {
      NDArray aArray = step.create(a, new Shape(4, base.inFeatures()));
      NDArray bArray = step.create(b, new Shape(base.outFeatures(), 4));
      aArray.setRequiresGradient(true);
      bArray.setRequiresGradient(true);
      LoraProjection lora = new LoraProjection(base, aArray, bArray, 2.0, LoraDropout.none());
      float[] output;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray y = lora.apply(x);
        output = y.toFloatArray();
        collector.backward(y.square().sum());
      }
      return new float[][] {output, aArray.getGradient().toFloatArray(), bArray.getGradient().toFloatArray()};
    }
  }

  /**
   * The whole model with NF4 projections scores what the same model with the dequantised weights in float32
   * scores, and close to the float32 original. The fixture's weights are random, so each carries NF4's full
   * error (about 9% of the weights' RMS on Gaussian data, see Nf4TensorTest), and a 48-wide model averages
   * little of it away: log-probabilities move by up to 0.26 (measured over these 11 positions), the bound is
   * 0.5; they must move, or nothing was quantised.
   */
  @Test
  void aModelWithNf4BaseWeightsScoresCloseToTheFloat32Model() {
    double[] fp32;
    double[] dequantised;
    try (Qwen3Model model = Qwen3Model.load(TINY)) {
      fp32 = model.score(TOKENS);
    }
    NDManager reference = NDManager.newBaseManager();
    try (Qwen3Model model = Qwen3Model.load(TINY, reference, (module, projection) -> dequantisedInJava(projection, reference))) {
      dequantised = model.score(TOKENS);
    }
    NDManager manager = NDManager.newBaseManager();
    Nf4Quantiser quantiser = new Nf4Quantiser(manager);
    try (Qwen3Model model = Qwen3Model.load(TINY, manager, quantiser)) {
      double[] nf4 = model.score(TOKENS);
      double largest = 0;
      for (int t = 0; t < nf4.length; t++) {
        assertEquals(dequantised[t], nf4[t], 1e-5, "position " + t);
        largest = Math.max(largest, Math.abs(nf4[t] - fp32[t]));
      }
      assertTrue(largest < 0.5, "NF4 moved a log-probability by " + largest);
      assertTrue(largest > 1e-3, "NF4 should change the scores, changed at most " + largest);
      // 3 layers x 7 projections: 3 * (3072 + 768 + 768 + 3072 + 3 * 4608) weights.
      assertEquals(64512, quantiser.weights());
      assertEquals(4.146, quantiser.bitsPerWeight(), 1e-3, "small tensors pay more for their offset and scales");
    }
  }

  private static Projection dequantisedInJava(Projection projection, NDManager manager) {
    NDArray w = ((DenseProjection) projection).weight();
    float[] values = Nf4Tensor.quantise(w.toFloatArray(), w.getShape().getShape()).dequantise();
    return new DenseProjection(manager.create(values, w.getShape()));
  }

  @Test
  void theHookComposesWithLora() {
    double[] nf4;
    NDManager manager = NDManager.newBaseManager();
    try (Qwen3Model model = Qwen3Model.load(TINY, manager, new Nf4Quantiser(manager))) {
      nf4 = model.score(TOKENS);
    }
    NDManager loraManager = NDManager.newBaseManager();
    Nf4Quantiser quantiser = new Nf4Quantiser(loraManager);
    // A fresh adapter (B = 0) on every projection: quantise first, then wrap.
    try (Qwen3Model model =
        Qwen3Model.load(TINY, loraManager, (module, base) -> {
          Projection quantised = quantiser.apply(module, base);
          return new LoraProjection(
              quantised,
              loraManager.randomNormal(new Shape(4, quantised.inFeatures())),
              loraManager.zeros(new Shape(quantised.outFeatures(), 4)),
              2.0,
              LoraDropout.none());
        })) {
      assertArrayEquals(nf4, model.score(TOKENS), 1e-6);
      assertEquals(64512, quantiser.weights());
    }
  }

  /** Forward passes, each in its own step manager, leave the model's manager as it was. */
  @Test
  void repeatedForwardPassesDoNotGrowTheModel() {
    NDManager manager = NDManager.newBaseManager();
    try (Qwen3Model model = Qwen3Model.load(TINY, manager, new Nf4Quantiser(manager))) {
      model.score(TOKENS);
      int arrays = manager.getManagedArrays().size();
      for (int i = 0; i < 3; i++) {
        model.score(TOKENS);
        try (NDManager step = manager.newSubManager()) {
          model.forward(step, new int[][] {TOKENS}, null, null);
        }
      }
      assertEquals(arrays, manager.getManagedArrays().size());
    }
  }
}
