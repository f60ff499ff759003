package net.b4mad.successor.lora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import net.b4mad.successor.safetensors.SafetensorsFile;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.safetensors.TensorInfo;
import tools.jackson.databind.node.ObjectNode;

/**
 * Folds a PEFT LoRA adapter into its base model: every targeted projection becomes {@code W + scale * B A}
 * ({@link LoraConfig#scale()}), every other tensor is copied, and the result is a plain model directory in
 * Hugging Face layout that loads without the adapter (vLLM, llama.cpp's converter, transformers).
 *
 * <p>Tensors are streamed: each is read, updated and written a chunk at a time, and a module's A and B are read
 * only while its weight is written, so the Java heap holds a chunk and one module's A and B whatever the size of
 * the model. The update is computed in float32 and the sum rounded once to the output dtype.
 */
public final class LoraMerge {

  /** What a model directory holds besides config and weights that a merged model still needs, when present. */
  private static final List<String> COPIED_FILES =
      List.of("generation_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
          "added_tokens.json", "vocab.json", "merges.txt", "chat_template.jinja");

  /** What was written: the directory, the weights' dtype, how many projections changed, and the files. */
  public record Merged(String directory, String dtype, int mergedModules, long parameters, long bytes, List<String> files) {}

  private LoraMerge() {}

  /**
   * Writes the merged model to {@code outDir}. Everything is checked before anything is written: a refused
   * merge leaves {@code outDir} as it was.
   *
   * @param dtype F32 or BF16; null keeps the base's {@code torch_dtype}
   * @param force write into a non-empty {@code outDir}, replacing the files a merge writes
   * @param maxShardBytes shard the weights above this size, as {@link SafetensorsWriter#writeCheckpoint} does
   */
  public static Merged merge(Path modelDir, Path adapterDir, Path outDir, Dtype dtype, boolean force, long maxShardBytes) {
    Path model = modelDir.toAbsolutePath().normalize();
    Path out = outDir.toAbsolutePath().normalize();
    refuseOutput(model, out, force);
    Path configFile = model.resolve("config.json");
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException(model + " is not a model directory: it has no config.json");
    }
    Qwen3Config config = Qwen3Config.read(configFile);
    Dtype written = dtype != null ? dtype : weightDtype(config.torchDtype(), configFile);
    if (written != Dtype.F32 && written != Dtype.BF16) {
      throw new IllegalArgumentException("a merged model is written as F32 or BF16, not " + written);
    }
    if (!Files.isRegularFile(adapterDir.resolve(LoraConfig.FILE))) {
      throw new IllegalArgumentException(adapterDir + " is not a PEFT adapter directory: it has no " + LoraConfig.FILE);
    }
    LoraConfig lora = LoraConfig.read(adapterDir);
    Path adapterFile = adapterDir.resolve(LoraAdapter.WEIGHTS_FILE);
    if (!Files.isRegularFile(adapterFile)) {
      throw new IllegalArgumentException(adapterDir + " has no " + LoraAdapter.WEIGHTS_FILE);
    }
    try (SafetensorsCheckpoint base = SafetensorsCheckpoint.open(model);
        SafetensorsFile adapter = SafetensorsFile.open(adapterFile)) {
      Map<String, Delta> deltas = plan(base, adapter, lora, adapterDir);
      List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
      long parameters = 0;
      for (String name : base.names()) {
        TensorInfo info = base.info(name);
        Delta delta = deltas.get(name);
        boolean saved = lora.saves(name);
        tensors.add(new SafetensorsWriter.Tensor(name, written, info.shape(), (start, chunk, count) -> {
          if (saved) {
            adapter.readFloats(LoraConfig.savedKey(name), start, count, FloatBuffer.wrap(chunk, 0, count));
          } else {
            base.readFloats(name, start, count, FloatBuffer.wrap(chunk, 0, count));
          }
          if (delta != null) {
            delta.addTo(start, chunk, count);
          }
        }));
        parameters += info.elementCount();
      }
      // A tied base whose embedding or head was trained apart (PEFT copies one of them) is no longer tied: the
      // merged model gets a head of its own, the trained copy or the base's embedding.
      boolean untie = config.tieWordEmbeddings() && (lora.saves(Qwen3Model.EMBED_TOKENS) || lora.saves(Qwen3Model.LM_HEAD));
      if (untie) {
        TensorInfo embedding = base.info(Qwen3Model.EMBED_TOKENS);
        boolean headTrained = lora.saves(Qwen3Model.LM_HEAD);
        tensors.add(new SafetensorsWriter.Tensor(Qwen3Model.LM_HEAD, written, embedding.shape(),
            (start, chunk, count) -> {
              if (headTrained) {
                adapter.readFloats(LoraConfig.savedKey(Qwen3Model.LM_HEAD), start, count,
                    FloatBuffer.wrap(chunk, 0, count));
              } else {
                base.readFloats(Qwen3Model.EMBED_TOKENS, start, count, FloatBuffer.wrap(chunk, 0, count));
              }
            }));
      }
      List<Path> files = new ArrayList<>(SafetensorsWriter.writeCheckpoint(out, tensors, maxShardBytes));
      for (String name : COPIED_FILES) {
        if (Files.isRegularFile(model.resolve(name))) {
          files.add(writeAtomically(out.resolve(name), Files.readAllBytes(model.resolve(name))));
        }
      }
      // Last, so that an interrupted merge into a new directory leaves nothing a loader would take for a model.
      ObjectNode configJson = (ObjectNode) Json.readTree(configFile);
      configJson.put("torch_dtype", written.torchDtype());
      if (untie) {
        configJson.put("tie_word_embeddings", false);
      }
      if (configJson.has("dtype")) {
        // transformers 4.56 and later write "dtype" instead
        configJson.put("dtype", written.torchDtype());
      }
      byte[] configBytes = (Json.writePretty(configJson) + "\n").getBytes(StandardCharsets.UTF_8);
      files.add(0, writeAtomically(out.resolve("config.json"), configBytes));
      long bytes = 0;
      for (Path file : files) {
        bytes += Files.size(file);
      }
      List<String> names = files.stream().map(file -> file.getFileName().toString()).toList();
      return new Merged(out.toString(), written.name(), deltas.size(), parameters, bytes, names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the merged model to " + out + ": " + e, e);
    }
  }

  private static void refuseOutput(Path model, Path out, boolean force) {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IllegalArgumentException("the output " + out + " is a file, not a directory");
    }
    try {
      if (Files.isDirectory(model) && Files.isSameFile(out, model)) {
        throw new IllegalArgumentException(
            "the output directory " + out + " is the model directory: merging in place would overwrite the weights"
                + " being read; choose another output directory");
      }
      try (Stream<Path> entries = Files.list(out)) {
        if (entries.findAny().isPresent() && !force) {
          throw new IllegalArgumentException(
              "the output directory " + out + " is not empty; choose a new one, or pass --force to replace the files"
                  + " a merge writes");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + out + ": " + e, e);
    }
  }

  private static Dtype weightDtype(String torchDtype, Path configFile) {
    Dtype dtype = Dtype.ofTorchDtype(torchDtype);
    if (dtype == null) {
      throw new IllegalArgumentException(configFile + " has torch_dtype '" + torchDtype
          + "', which a merge cannot write; choose bf16 or f32 for the merged weights (--dtype)");
    }
    return dtype;
  }

  /**
   * The update of each targeted projection, by its weight's name, once every adapter tensor has been matched to
   * a base projection of the right shape; anything left over means the adapter belongs to another model.
   */
  private static Map<String, Delta> plan(SafetensorsCheckpoint base, SafetensorsFile adapter, LoraConfig lora, Path adapterDir) {
    Map<String, Delta> deltas = new LinkedHashMap<>();
    Set<String> used = new HashSet<>();
    for (String name : base.names()) {
      TensorInfo info = base.info(name);
      if (!info.dtype().readableAsFloat()) {
        throw new IllegalArgumentException(
            "the base tensor '" + name + "' has dtype " + info.dtype() + "; a merge can carry F32, BF16 and F16 weights");
      }
      if (!name.startsWith("model.layers.") || !name.endsWith(".weight")) {
        continue;
      }
      String module = name.substring(0, name.length() - ".weight".length());
      if (!lora.targets(module)) {
        continue;
      }
      String aKey = LoraConfig.tensorKey(module, "lora_A");
      String bKey = LoraConfig.tensorKey(module, "lora_B");
      if (!adapter.contains(aKey) || !adapter.contains(bKey)) {
        throw new IllegalArgumentException(
            adapter.path() + " lacks " + aKey + " or " + bKey + ", although adapter_config.json targets "
                + module.substring(module.lastIndexOf('.') + 1) + ": was it trained for another base model?");
      }
      long[] weight = info.shapeArray();
      long[] a = adapter.info(aKey).shapeArray();
      long[] b = adapter.info(bKey).shapeArray();
      if (weight.length != 2 || !Arrays.equals(a, new long[] {lora.r(), weight[1]})
          || !Arrays.equals(b, new long[] {weight[0], lora.r()})) {
        throw new IllegalArgumentException(
            "the adapter in " + adapterDir + " does not fit " + name + " " + Arrays.toString(weight) + ": lora_A is "
                + Arrays.toString(a) + " and lora_B " + Arrays.toString(b) + " where r = " + lora.r() + " needs "
                + Arrays.toString(new long[] {lora.r(), weight[weight.length - 1]}) + " and "
                + Arrays.toString(new long[] {weight[0], lora.r()}) + "; was it trained for another base model?");
      }
      used.add(aKey);
      used.add(bKey);
      deltas.put(name, new Delta(adapter, aKey, bKey, (int) weight[0], (int) weight[1], lora.r(), (float) lora.scale()));
    }
    List<String> replaced = new ArrayList<>(base.names());
    if (!base.contains(Qwen3Model.LM_HEAD)) {
      replaced.add(Qwen3Model.LM_HEAD); // a tied base has no lm_head tensor: its head is the embedding
    }
    replaced.removeIf(name -> !lora.saves(name));
    for (String name : replaced) {
      String key = LoraConfig.savedKey(name);
      String baseName = base.contains(name) ? name : Qwen3Model.EMBED_TOKENS;
      if (!adapter.contains(key)) {
        throw new IllegalArgumentException(adapter.path() + " lacks " + key + ", although adapter_config.json's"
            + " modules_to_save " + lora.modulesToSave() + " take " + name);
      }
      if (!adapter.info(key).shape().equals(base.info(baseName).shape())) {
        throw new IllegalArgumentException("the adapter's " + key + " has shape " + adapter.info(key).shape()
            + " but the base's " + baseName + " is " + base.info(baseName).shape()
            + ": was it trained for another base model?");
      }
      used.add(key);
    }
    Set<String> unused = new HashSet<>(adapter.names());
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException(
          "the adapter in " + adapterDir + " has tensors this model has no place for, e.g. " + unused.iterator().next()
              + ": was it trained for another base model?");
    }
    return deltas;
  }

  /** Readers see no file or the whole file, as with the weights. */
  private static Path writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.write(target, bytes);
    return target;
  }

  /**
   * {@code scale * B A} for one projection, added to its weight a chunk at a time. A and B are read when the
   * writer reaches the weight and dropped when it has passed it.
   */
  private static final class Delta {
    private final SafetensorsFile adapter;
    private final String aKey;
    private final String bKey;
    private final int out;
    private final int in;
    private final int rank;
    private final float scale;
    private float[] a;
    private float[] b;

    Delta(SafetensorsFile adapter, String aKey, String bKey, int out, int in, int rank, float scale) {
      this.adapter = adapter;
      this.aKey = aKey;
      this.bKey = bKey;
      this.out = out;
      this.in = in;
      this.rank = rank;
      this.scale = scale;
    }

    /** Adds the update to elements {@code [start, start + count)} of the row-major {@code [out, in]} weight. */
    void addTo(long start, float[] chunk, int count) {
      if (start == 0) {
        a = adapter.readFloats(aKey);
        b = adapter.readFloats(bKey);
      }
      int done = 0;
      while (done < count) {
        long element = start + done;
        int row = (int) (element / in);
        int column = (int) (element % in);
        int length = Math.min(in - column, count - done);
        // Row by row through A, so the inner loop runs over contiguous memory and the JIT vectorises it.
        for (int k = 0; k < rank; k++) {
          float factor = scale * b[row * rank + k];
          int offset = k * in + column;
          for (int i = 0; i < length; i++) {
            chunk[done + i] += factor * a[offset + i];
          }
        }
        done += length;
      }
      if (start + count == (long) out * in) {
        a = null;
        b = null;
      }
    }
  }
}
