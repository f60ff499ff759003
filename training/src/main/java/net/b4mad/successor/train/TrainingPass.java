package net.b4mad.successor.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.IntConsumer;
import net.b4mad.successor.optim.Gradients;
import net.b4mad.successor.qwen3.Qwen3Model;

/**
 * One forward and backward pass through a model whose trainable arrays collect gradients, with or without
 * gradient checkpointing. With it, the forward pass runs without autograd and keeps only each layer's input;
 * the backward pass then goes layer by layer from the top, recomputing one layer under autograd and pushing the
 * gradient of its output through it ({@code sum(y * dL/dy)} as the layer's loss), so autograd never holds more
 * than one layer's activations (and, under QLoRA, one layer's dequantised weights). Both ways give the same
 * gradients: dropout draws the same masks in the recomputation because each layer's random stream is reseeded.
 */
public final class TrainingPass {

  /** What is computed on the final, normed hidden states {@code [B, T, hidden]}: a scalar loss. */
  @FunctionalInterface
  public interface Head {
    NDArray loss(NDArray hidden);
  }

  private final Qwen3Model model;
  private final boolean checkpointing;
  private long forwardNanos;
  private long backwardNanos;

  public TrainingPass(Qwen3Model model, boolean checkpointing) {
    this.model = model;
    this.checkpointing = checkpointing;
  }

  /**
   * Forward and backward; gradients add to those already on the trainable arrays.
   *
   * @param beforeLayer called with a layer's index before each computation of that layer (to reseed dropout)
   * @return the loss
   */
  public float backward(NDManager step, int[][] tokens, int[][] padding, Head head, IntConsumer beforeLayer) {
    return checkpointing
        ? backwardCheckpointed(step, tokens, padding, head, beforeLayer)
        : backwardPlain(step, tokens, padding, head, beforeLayer);
  }

  /**
   * Time spent so far in forward computation (the loss and, with checkpointing, the pass without autograd) and
   * in backward computation (with checkpointing, including each layer's recomputation), in nanoseconds.
   */
  public long[] timings() {
    return new long[] {forwardNanos, backwardNanos};
  }

  /** The final normed hidden states without autograd, for evaluation and reference scores. */
  public NDArray hidden(NDManager step, int[][] tokens, int[][] padding) {
    Qwen3Model.LayerInputs inputs = model.layerInputs(step, tokens, padding, 0);
    NDArray x = model.embed(step, tokens);
    for (int i = 0; i < model.layers().size(); i++) {
      x = layerFreeingTemporaries(step, i, x, inputs);
    }
    return model.finalNorm(x);
  }

  private float backwardPlain(NDManager step, int[][] tokens, int[][] padding, Head head, IntConsumer beforeLayer) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      long start = System.nanoTime();
      NDArray x = model.embed(step, tokens);
      Qwen3Model.LayerInputs inputs = model.layerInputs(step, tokens, padding, 0);
      for (int i = 0; i < model.layers().size(); i++) {
        beforeLayer.accept(i);
        x = model.layer(i, x, inputs);
      }
      NDArray loss = head.loss(model.finalNorm(x));
      float value = loss.getFloat();
      long forwardEnd = System.nanoTime();
      collector.backward(loss);
      forwardNanos += forwardEnd - start;
      backwardNanos += System.nanoTime() - forwardEnd;
      return value;
    }
  }

  private float backwardCheckpointed(
      NDManager step, int[][] tokens, int[][] padding, Head head, IntConsumer beforeLayer) {
    long start = System.nanoTime();
    int layers = model.layers().size();
    Qwen3Model.LayerInputs inputs = model.layerInputs(step, tokens, padding, 0);
    NDArray[] layerInputs = new NDArray[layers + 1];
    layerInputs[0] = model.embed(step, tokens);
    for (int i = 0; i < layers; i++) {
      beforeLayer.accept(i);
      layerInputs[i + 1] = layerFreeingTemporaries(step, i, layerInputs[i], inputs);
    }

    float value;
    long forwardEnd;
    NDArray top = layerInputs[layers];
    try (NDManager scope = step.newSubManager()) {
      top.tempAttach(scope);
      top.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = head.loss(model.finalNorm(top));
        value = loss.getFloat();
        forwardEnd = System.nanoTime();
        collector.backward(loss);
      }
    }
    NDArray outputGradient = Gradients.of(top, step);
    for (int i = layers - 1; i >= 0; i--) {
      NDArray x = layerInputs[i];
      try (NDManager scope = step.newSubManager()) {
        x.tempAttach(scope);
        x.setRequiresGradient(i > 0);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          beforeLayer.accept(i);
          // Layer 0 needs no input gradient, but its input is looked up again under autograd: an embedding
          // trained in full (modules_to_save) gets its gradient from there.
          NDArray y = model.layer(i, i > 0 ? x : model.embed(scope, tokens), inputs);
          collector.backward(y.mul(outputGradient).sum());
        }
      }
      outputGradient.close();
      if (i > 0) {
        outputGradient = Gradients.of(x, step);
      }
    }
    forwardNanos += forwardEnd - start;
    backwardNanos += System.nanoTime() - forwardEnd;
    return value;
  }

  /** Runs a layer with its temporaries in a manager of their own, keeping only the output, in {@code step}. */
  private NDArray layerFreeingTemporaries(NDManager step, int index, NDArray x, Qwen3Model.LayerInputs inputs) {
    try (NDManager scope = step.newSubManager()) {
      x.tempAttach(scope);
      NDArray y = model.layer(index, x, inputs);
      y.attach(step);
      return y;
    }
  }
}
