package net.b4mad.successor.memory;

import java.util.List;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.quant.Nf4Tensor;

/**
 * Estimates the peak GPU memory of one LoRA or QLoRA training step on a Qwen3 model, before anything is loaded,
 * so a run that cannot fit is refused up front. It counts what PEFT + bitsandbytes + transformers hold with bf16
 * compute:
 *
 * <ul>
 *   <li><b>Base weights</b>: every parameter in 16 bits for LoRA. For QLoRA every linear layer of the decoder
 *       (projections, experts, routers) in NF4 with double quantisation, byte for byte as {@link Nf4Tensor} stores
 *       it (4.127 bits per weight), the embedding, LM head and norms in 16 bits, as bitsandbytes leaves them.
 *   <li><b>Adapter weights</b>: the LoRA A and B ({@code r * (in + out)} per targeted projection, per expert in a
 *       mixture-of-experts MLP) and the copies of fully trained modules, all in fp32: 4 bytes per trainable weight;
 *       <b>gradients</b> 4 more; <b>optimizer state</b> AdamW's two fp32 moments, 8 more.
 *   <li><b>Activations</b>, for {@code N = batch * sequence} tokens, saved for the backward pass in 16 bits per
 *       decoder layer and token: the two RMSNorms' inputs upcast to fp32 and their outputs ({@code 2 * 6h} bytes);
 *       q and k through projection, head norm and rotary embedding, v, and the attention output ({@code 2 * (4q +
 *       4kv)}, q and kv the query and key/value widths); the MLP's gate, up, silu(gate) and product ({@code 2 * 4i}).
 *       A mixture-of-experts MLP saves the router's fp32 logits and softmax ({@code 8e}) and, for each of the
 *       {@code k} experts a token is routed to, its copy of the input and the four intermediates ({@code k * (2h +
 *       8i_e)}). Attention is taken to be FlashAttention or SDPA, which keep no {@code [T, T]} scores; LoRA's
 *       rank-r intermediates are negligible and lora_dropout is taken as 0 (dropout would save one more copy of
 *       every targeted projection's input). With gradient checkpointing only each layer's input stays ({@code 2h}
 *       per token and layer), and the backward pass rebuilds one layer at a time.
 *   <li><b>Logits</b>: {@code [N, vocab]} from the LM head in 16 bits, the fp32 copy that transformers' loss
 *       makes, and the fp32 log-softmax that cross-entropy keeps: 10 bytes per element. With Qwen3's 151,936-token
 *       vocabulary this is the largest activation (2.9 GiB for 2,048 tokens). They exist at the end of the forward
 *       pass, before any checkpointed layer is rebuilt, so the peak holds the larger of the two, not both.
 *   <li><b>Overhead</b>: {@link #FRAMEWORK_OVERHEAD_BYTES}, a stated constant for the CUDA context and kernels,
 *       cuBLAS workspaces and the caching allocator's fragmentation.
 * </ul>
 *
 * <p>Against published figures (see MemoryEstimatorTest): the QLoRA paper's LLaMA-7B 4-bit base, 5,048 MB, is
 * estimated at 3,866 MB, 23% lower. The paper's figure is a measurement; 3,866 MB is what the bits come to with the
 * embedding and LM head in 16 bits, and PEFT's {@code prepare_model_for_kbit_training}, which the paper's code
 * calls, upcasts those two to fp32, which closes part of the gap; the rest is probably the CUDA context. torchtune's
 * Llama-3.1-8B QLoRA on one RTX 4090 peaks at 7.4 GiB (rank 8 on all projections, batch 2, 2,048 packed tokens,
 * activation checkpointing, torch.compile, allocator statistics without the CUDA context); this estimate, less its
 * overhead, is 11.5 GiB. The difference is the loss: torchtune computes cross-entropy in chunks from bf16 logits
 * (1.5 GiB where an unchunked fp32 loss takes 4.9 GiB); with that figure in place the rest lands at 8.1 GiB, 9%
 * above the measurement.
 */
public final class MemoryEstimator {

  /** CUDA context and kernels (0.3-0.5 GiB with lazy loading), cuBLAS workspaces, allocator fragmentation. */
  public static final long FRAMEWORK_OVERHEAD_BYTES = 1L << 30;

  /** An RTX 4090's 24 GiB. */
  public static final long RTX_4090_BYTES = 24L << 30;

  /** The assumptions behind the figures, for reports that show them. */
  public static final List<String> ASSUMPTIONS =
      List.of(
          "bf16 compute; LoRA weights, their gradients and AdamW's two moments in fp32",
          "QLoRA: decoder linear layers in NF4 with double quantisation (4.127 bits per weight), embedding, LM head"
              + " and norms in 16 bits",
          "FlashAttention/SDPA attention (no [seq, seq] scores kept), lora_dropout 0",
          "loss over unchunked logits: 16-bit logits, their fp32 copy and fp32 log-softmax (10 bytes per element)",
          "1 GiB for the CUDA context, workspaces and allocator fragmentation");

  private static final int HALF = 2;
  private static final int FLOAT = 4;
  private static final int LOGIT_BYTES = HALF + FLOAT + FLOAT;

  private MemoryEstimator() {}

  public static MemoryEstimate estimate(ModelShape model, TrainingSetup setup, long gpuBytes) {
    Qwen3Config config = model.config();
    long hidden = config.hiddenSize();
    long vocab = config.vocabSize();
    int denseLayers = config.numHiddenLayers() - model.sparseLayers();
    Layer dense = layer(model, setup, false);
    Layer sparse = layer(model, setup, true);

    long embeddings = vocab * hidden * (config.tieWordEmbeddings() ? 1 : 2);
    long baseParameters = denseLayers * dense.parameters + model.sparseLayers() * sparse.parameters + embeddings + hidden;
    long baseWeights =
        denseLayers * dense.weightBytes + model.sparseLayers() * sparse.weightBytes + HALF * (embeddings + hidden);
    // A tied LM head is the embedding: training either trains the one matrix.
    boolean embedding = setup.saves("embed_tokens");
    boolean head = setup.saves("lm_head");
    int savedMatrices = config.tieWordEmbeddings() ? (embedding || head ? 1 : 0) : (embedding ? 1 : 0) + (head ? 1 : 0);
    long trainable = denseLayers * dense.loraParameters + model.sparseLayers() * sparse.loraParameters
        + savedMatrices * vocab * hidden + (setup.saves("model.norm") ? hidden : 0);

    long tokens = (long) setup.batchSize() * setup.sequenceLength();
    long activations;
    long recomputed;
    if (setup.gradientCheckpointing()) {
      activations = config.numHiddenLayers() * tokens * HALF * hidden;
      recomputed = tokens * (model.sparseLayers() > 0 ? sparse.activationBytesPerToken : dense.activationBytesPerToken);
    } else {
      activations = tokens * (denseLayers * dense.activationBytesPerToken
          + model.sparseLayers() * sparse.activationBytesPerToken);
      recomputed = 0;
    }
    return new MemoryEstimate(
        baseParameters,
        trainable,
        baseWeights,
        FLOAT * trainable,
        FLOAT * trainable,
        2 * FLOAT * trainable,
        activations,
        recomputed,
        tokens * vocab * LOGIT_BYTES,
        FRAMEWORK_OVERHEAD_BYTES,
        gpuBytes);
  }

  /**
   * One decoder layer's parameters, their bytes, its trainable parameters (LoRA's and the modules trained in full),
   * and its saved activations per token.
   */
  private record Layer(long parameters, long weightBytes, long loraParameters, long activationBytesPerToken) {}

  private static Layer layer(ModelShape model, TrainingSetup setup, boolean sparse) {
    Qwen3Config config = model.config();
    long hidden = config.hiddenSize();
    long query = (long) config.numAttentionHeads() * config.headDim();
    long keyValue = (long) config.numKeyValueHeads() * config.headDim();
    long width = sparse ? model.expertIntermediateSize() : config.intermediateSize();
    // each MLP projection once per expert; a dense MLP is one expert
    long copies = sparse ? model.experts() : 1;
    long parameters = 0;
    long weightBytes = 0;
    long lora = 0;
    for (String projection : LoraConfig.ALL_LINEAR) {
      long in;
      long out;
      long count = 1;
      switch (projection) {
        case "q_proj" -> { in = hidden; out = query; }
        case "k_proj", "v_proj" -> { in = hidden; out = keyValue; }
        case "o_proj" -> { in = query; out = hidden; }
        case "down_proj" -> { in = width; out = hidden; count = copies; }
        default -> { in = hidden; out = width; count = copies; }
      }
      parameters += count * in * out;
      weightBytes += count * linearBytes(in * out, setup.qlora());
      if (setup.targetModules().contains(projection)) {
        lora += count * setup.rank() * (in + out);
      } else if (setup.saves(projection)) {
        lora += count * in * out;
      }
    }
    if (sparse) {
      long router = hidden * model.experts();
      parameters += router;
      weightBytes += linearBytes(router, setup.qlora());
    }
    long norms = 2 * hidden + 2L * config.headDim();
    parameters += norms;
    weightBytes += HALF * norms;
    lora += (setup.saves("input_layernorm") ? hidden : 0) + (setup.saves("post_attention_layernorm") ? hidden : 0)
        + (setup.saves("q_norm") ? config.headDim() : 0) + (setup.saves("k_norm") ? config.headDim() : 0);

    long attention = 6 * hidden + HALF * (4 * query + 4 * keyValue);
    long mlp = sparse
        ? 6 * hidden + 2 * FLOAT * model.experts()
            + (long) model.expertsPerToken() * (HALF * hidden + HALF * 4 * width)
        : 6 * hidden + HALF * 4 * width;
    return new Layer(parameters, weightBytes, lora, attention + mlp);
  }

  private static long linearBytes(long weights, boolean nf4) {
    return nf4 ? Nf4Tensor.storedBits(weights) / 8 : HALF * weights;
  }
}
