package net.b4mad.successor.qwen3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;

/**
 * A dense Qwen3 causal language model in DJL, computing what transformers' {@code Qwen3ForCausalLM} computes:
 * embedding, decoder layers, final RMS norm, LM head (the embedding when tied). Weights are float32 NDArrays
 * under the checkpoint's own key names.
 */
public final class Qwen3Model implements AutoCloseable {

  public static final String EMBED_TOKENS = "model.embed_tokens.weight";
  public static final String LM_HEAD = "lm_head.weight";

  private final Qwen3Config config;
  private final NDManager manager;
  private final NDArray embedTokens;
  private final List<Qwen3DecoderLayer> layers;
  private final RmsNorm norm;
  private final Projection lmHead;
  private final RotaryEmbedding rope;

  private Qwen3Model(
      Qwen3Config config,
      NDManager manager,
      NDArray embedTokens,
      List<Qwen3DecoderLayer> layers,
      RmsNorm norm,
      Projection lmHead) {
    this.config = config;
    this.manager = manager;
    this.embedTokens = embedTokens;
    this.layers = List.copyOf(layers);
    this.norm = norm;
    this.lmHead = lmHead;
    this.rope = new RotaryEmbedding(config.headDim(), config.ropeTheta());
  }

  /** Loads a model directory in Hugging Face layout onto the default device (a GPU when there is one). */
  public static Qwen3Model load(Path dir) {
    return load(dir, NDManager.newBaseManager(ComputeDevices.defaultDevice()), (module, projection) -> projection);
  }

  /**
   * Loads a model directory; the model owns {@code manager} and closes it.
   *
   * @param projections may replace each projection as it is built (LoRA, quantised weights), given its module name
   */
  public static Qwen3Model load(Path dir, NDManager manager, BiFunction<String, Projection, Projection> projections) {
    return load(dir, manager, projections, (name, tensor) -> tensor);
  }

  /**
   * Loads a model directory; the model owns {@code manager} and closes it.
   *
   * @param projections may replace each projection as it is built (LoRA, quantised weights), given its module name
   * @param tensors may replace any weight, given its checkpoint name and the loaded array (the LM head's as
   *     {@code lm_head.weight}, the embedding when tied): fully trained copies, as PEFT's {@code modules_to_save}
   */
  public static Qwen3Model load(Path dir, NDManager manager, BiFunction<String, Projection, Projection> projections,
      BiFunction<String, NDArray, NDArray> tensors) {
    Path configFile = dir.resolve("config.json");
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException(dir + " is not a model directory: it has no config.json");
    }
    Qwen3Config config = Qwen3Config.read(configFile);
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
      Map<String, List<Long>> shapes = Qwen3Layout.tensorShapes(config);
      // Each tensor is read when its module is built, so a hook that quantises projections holds one float32
      // projection at a time rather than the whole float32 model.
      return assemble(config, manager, name -> load(checkpoint, manager, name, shapes.get(name)), projections, tensors);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Builds the modules from weights under their checkpoint names (see {@link Qwen3Layout}), each read once. */
  static Qwen3Model assemble(
      Qwen3Config config,
      NDManager manager,
      Function<String, NDArray> weights,
      BiFunction<String, Projection, Projection> projections,
      BiFunction<String, NDArray, NDArray> tensors) {
    double eps = config.rmsNormEps();
    Function<String, NDArray> weight = name -> {
      NDArray loaded = weights.apply(name);
      NDArray replaced = tensors.apply(name, loaded);
      if (replaced != loaded) {
        loaded.close();
      }
      return replaced;
    };
    BiFunction<String, String, Projection> projection =
        (layer, name) -> projections.apply(layer + name, new DenseProjection(weight.apply(layer + name + ".weight")));
    List<Qwen3DecoderLayer> layers = new ArrayList<>();
    for (int i = 0; i < config.numHiddenLayers(); i++) {
      String p = "model.layers." + i + ".";
      Qwen3Attention attention =
          new Qwen3Attention(
              config,
              projection.apply(p, "self_attn.q_proj"),
              projection.apply(p, "self_attn.k_proj"),
              projection.apply(p, "self_attn.v_proj"),
              projection.apply(p, "self_attn.o_proj"),
              new RmsNorm(weight.apply(p + "self_attn.q_norm.weight"), eps),
              new RmsNorm(weight.apply(p + "self_attn.k_norm.weight"), eps));
      Qwen3Mlp mlp =
          new Qwen3Mlp(
              projection.apply(p, "mlp.gate_proj"),
              projection.apply(p, "mlp.up_proj"),
              projection.apply(p, "mlp.down_proj"));
      layers.add(
          new Qwen3DecoderLayer(
              attention,
              mlp,
              new RmsNorm(weight.apply(p + "input_layernorm.weight"), eps),
              new RmsNorm(weight.apply(p + "post_attention_layernorm.weight"), eps)));
    }
    NDArray embed = weights.apply(EMBED_TOKENS);
    NDArray loadedHead = config.tieWordEmbeddings() ? embed : weights.apply(LM_HEAD);
    // A tied head keeps the loaded embedding even when the input embedding is replaced, as PEFT's copies do.
    NDArray head = tensors.apply(LM_HEAD, loadedHead);
    NDArray input = tensors.apply(EMBED_TOKENS, embed);
    if (head != loadedHead && loadedHead != embed) {
      loadedHead.close();
    }
    if (input != embed && head != embed) {
      embed.close();
    }
    return new Qwen3Model(config, manager, input, layers, new RmsNorm(weight.apply("model.norm.weight"), eps),
        new DenseProjection(head));
  }

  /** Reads one tensor as float32 and checks its shape against the one the config implies. */
  private static NDArray load(SafetensorsCheckpoint checkpoint, NDManager manager, String name, List<Long> expected) {
    if (!checkpoint.contains(name)) {
      throw new IllegalArgumentException(
          "the checkpoint in " + checkpoint.directory() + " has no tensor '" + name
              + "': is it a Qwen3 checkpoint, and are all shards present?");
    }
    long[] shape = checkpoint.shape(name);
    long[] want = expected.stream().mapToLong(Long::longValue).toArray();
    if (!Arrays.equals(shape, want)) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' has shape " + Arrays.toString(shape) + " but config.json implies "
              + Arrays.toString(want));
    }
    // Decoded straight into native memory that the tensor then uses as is (DJL keeps the buffer referenced):
    // going through a float[] would copy every weight once more.
    ByteBuffer buffer =
        ByteBuffer.allocateDirect(Math.multiplyExact(Math.toIntExact(new Shape(shape).size()), Float.BYTES))
            .order(ByteOrder.nativeOrder());
    checkpoint.readFloats(name, buffer.asFloatBuffer());
    return manager.create(buffer, new Shape(shape), DataType.FLOAT32);
  }

  public Qwen3Config config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  public List<Qwen3DecoderLayer> layers() {
    return layers;
  }

  public KvCache newCache() {
    return new KvCache(manager, layers.size());
  }

  /**
   * Logits for a batch of token ids.
   *
   * @param step the manager every intermediate and the result belong to; close it to free them
   * @param tokens {@code [B][T]} ids of the new tokens, rows of equal length (pad them)
   * @param padding {@code [B][past + T]} 1 for real tokens, 0 for padding, or null when nothing is padded
   * @param cache keys/values of earlier tokens, extended by this call; or null to attend only within tokens
   * @return logits {@code [B, T, vocab]}
   */
  public NDArray forward(NDManager step, int[][] tokens, int[][] padding, KvCache cache) {
    int past = cache == null ? 0 : cache.length();
    NDArray x = embed(step, tokens);
    LayerInputs inputs = layerInputs(step, tokens, padding, past);
    for (int i = 0; i < layers.size(); i++) {
      x = layers.get(i).apply(x, inputs.cos(), inputs.sin(), rope, inputs.mask(), cache, i);
    }
    if (cache != null) {
      cache.advance(tokens[0].length);
    }
    return logits(finalNorm(x));
  }

  /**
   * What every decoder layer of one pass over {@code tokens} shares: the rotary tables of the tokens' positions
   * and the additive attention mask.
   */
  public record LayerInputs(NDArray cos, NDArray sin, NDArray mask) {}

  /** @param padding {@code [B][past + T]}, or null when nothing is padded */
  public LayerInputs layerInputs(NDManager step, int[][] tokens, int[][] padding, int past) {
    int[][] mask = padding == null ? AttentionMask.allReal(tokens.length, past + tokens[0].length) : padding;
    NDArray[] cosSin = rope.tables(step, AttentionMask.positions(mask, past, tokens[0].length));
    return new LayerInputs(cosSin[0], cosSin[1], AttentionMask.additive(step, mask, past, tokens[0].length));
  }

  /** The token embeddings {@code [B, T, hidden]}, in {@code step}. */
  public NDArray embed(NDManager step, int[][] tokens) {
    int batch = tokens.length;
    int length = tokens[0].length;
    long[] ids = new long[batch * length];
    for (int b = 0; b < batch; b++) {
      if (tokens[b].length != length) {
        throw new IllegalArgumentException("token rows must have equal length; pad them and give a padding mask");
      }
      for (int t = 0; t < length; t++) {
        int id = tokens[b][t];
        if (id < 0 || id >= config.vocabSize()) {
          throw new IllegalArgumentException(
              "token id " + id + " is outside the model's vocabulary (0.." + (config.vocabSize() - 1) + ")");
        }
        ids[b * length + t] = id;
      }
    }
    NDArray x = embedTokens.get(new NDIndex("{}", step.create(ids)));
    x.attach(step); // the lookup lands in the embedding's long-lived manager otherwise
    return x.reshape(batch, length, config.hiddenSize());
  }

  /** Decoder layer {@code index} without a cache: training runs it layer by layer to recompute activations. */
  public NDArray layer(int index, NDArray x, LayerInputs inputs) {
    return layers.get(index).apply(x, inputs.cos(), inputs.sin(), rope, inputs.mask(), null, index);
  }

  /** The RMS norm after the last layer. */
  public NDArray finalNorm(NDArray x) {
    return norm.apply(x);
  }

  /** The LM head: logits {@code [..., vocab]} of normed hidden states {@code [..., hidden]}. */
  public NDArray logits(NDArray hidden) {
    return lmHead.apply(hidden);
  }

  /**
   * Log-probabilities of each next token: element t is {@code log p(tokens[t+1] | tokens[0..t])}, computed in
   * one forward pass over the whole sequence.
   */
  public double[] score(int[] tokens) {
    if (tokens.length < 2) {
      throw new IllegalArgumentException("scoring needs at least two token ids, got " + tokens.length);
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray logits = forward(step, new int[][] {tokens}, null, null);
      NDArray logProbs = logits.get(0).logSoftmax(-1);
      long[] next = new long[tokens.length - 1];
      for (int t = 0; t < next.length; t++) {
        next[t] = tokens[t + 1];
      }
      NDArray picked =
          logProbs.get(new NDIndex(":-1")).gather(step.create(next, new Shape(next.length, 1)), 1);
      float[] values = picked.toType(DataType.FLOAT32, false).toFloatArray();
      double[] result = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        result[i] = values[i];
      }
      return result;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
