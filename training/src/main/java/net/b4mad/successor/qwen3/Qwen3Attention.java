package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;

/**
 * Grouped-query self-attention with Qwen3's per-head RMS norm of queries and keys before RoPE. Projections
 * keep their checkpoint names ({@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj}).
 */
public final class Qwen3Attention {

  final Projection qProj;
  final Projection kProj;
  final Projection vProj;
  final Projection oProj;
  private final RmsNorm qNorm;
  private final RmsNorm kNorm;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final float scale;

  Qwen3Attention(
      Qwen3Config config,
      Projection qProj,
      Projection kProj,
      Projection vProj,
      Projection oProj,
      RmsNorm qNorm,
      RmsNorm kNorm) {
    this.qProj = qProj;
    this.kProj = kProj;
    this.vProj = vProj;
    this.oProj = oProj;
    this.qNorm = qNorm;
    this.kNorm = kNorm;
    this.heads = config.numAttentionHeads();
    this.kvHeads = config.numKeyValueHeads();
    this.headDim = config.headDim();
    this.scale = (float) (1.0 / Math.sqrt(headDim));
  }

  /**
   * @param x {@code [B, T, hidden]}
   * @param cos rotary tables {@code [B, 1, T, headDim]}
   * @param mask additive {@code [B, 1, T, S]}
   * @param cache the layer's cached keys/values, or null
   */
  NDArray apply(NDArray x, NDArray cos, NDArray sin, RotaryEmbedding rope, NDArray mask, KvCache cache, int layer) {
    long batch = x.getShape().get(0);
    long length = x.getShape().get(1);
    NDArray q = qNorm.apply(qProj.apply(x).reshape(batch, length, heads, headDim)).transpose(0, 2, 1, 3);
    NDArray k = kNorm.apply(kProj.apply(x).reshape(batch, length, kvHeads, headDim)).transpose(0, 2, 1, 3);
    NDArray v = vProj.apply(x).reshape(batch, length, kvHeads, headDim).transpose(0, 2, 1, 3);
    q = rope.apply(q, cos, sin);
    k = rope.apply(k, cos, sin);
    if (cache != null) {
      NDArray[] full = cache.append(layer, k, v);
      k = full[0];
      v = full[1];
    }
    // Each key/value head serves heads/kvHeads query heads: a grouped view of the queries avoids copying
    // the keys and values (transformers' repeat_kv gives the same numbers).
    int group = heads / kvHeads;
    long keysLength = k.getShape().get(2);
    NDArray qGrouped = q.reshape(batch, kvHeads, group * length, headDim);
    // A scalar operand as an array of the step: DJL's mul(Number) wraps a Java buffer it frees at once, while
    // autograd keeps the operand for the backward pass, which could then read freed memory.
    NDArray product = qGrouped.matMul(k.transpose(0, 1, 3, 2));
    NDArray scores = product.mul(product.getManager().create(scale))
        .reshape(batch, heads, length, keysLength)
        .add(mask);
    NDArray probs = scores.softmax(-1);
    NDArray out = probs.reshape(batch, kvHeads, group * length, keysLength).matMul(v)
        .reshape(batch, heads, length, headDim)
        .transpose(0, 2, 1, 3)
        .reshape(batch, length, (long) heads * headDim);
    return oProj.apply(out);
  }
}
