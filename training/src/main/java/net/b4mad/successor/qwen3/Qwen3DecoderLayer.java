package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;

/** {@code x += attn(norm(x)); x += mlp(norm(x))}. */
public final class Qwen3DecoderLayer {

  final Qwen3Attention selfAttn;
  final Qwen3Mlp mlp;
  private final RmsNorm inputLayernorm;
  private final RmsNorm postAttentionLayernorm;

  Qwen3DecoderLayer(Qwen3Attention selfAttn, Qwen3Mlp mlp, RmsNorm inputLayernorm, RmsNorm postAttentionLayernorm) {
    this.selfAttn = selfAttn;
    this.mlp = mlp;
    this.inputLayernorm = inputLayernorm;
    this.postAttentionLayernorm = postAttentionLayernorm;
  }

  NDArray apply(NDArray x, NDArray cos, NDArray sin, RotaryEmbedding rope, NDArray mask, KvCache cache, int index) {
    NDArray h = x.add(selfAttn.apply(inputLayernorm.apply(x), cos, sin, rope, mask, cache, index));
    return h.add(mlp.apply(postAttentionLayernorm.apply(h)));
  }
}
