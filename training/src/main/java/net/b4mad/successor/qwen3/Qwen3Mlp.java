package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU: {@code down(silu(gate(x)) * up(x))}. */
public final class Qwen3Mlp {

  final Projection gateProj;
  final Projection upProj;
  final Projection downProj;

  Qwen3Mlp(Projection gateProj, Projection upProj, Projection downProj) {
    this.gateProj = gateProj;
    this.upProj = upProj;
    this.downProj = downProj;
  }

  NDArray apply(NDArray x) {
    NDArray gate = gateProj.apply(x);
    // silu(g) = g * sigmoid(g), spelled out: DJL's swish multiplies by a Java scalar that it frees while autograd
    // still holds it for the backward pass.
    return downProj.apply(gate.mul(Activation.sigmoid(gate)).mul(upProj.apply(x)));
  }
}
