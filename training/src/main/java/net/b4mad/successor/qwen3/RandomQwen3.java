package net.b4mad.successor.qwen3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsWriter;

/**
 * A randomly initialised Qwen3 model in Hugging Face layout, as transformers' {@code from_config} followed by
 * {@code save_pretrained} makes one: linear and embedding weights drawn from N(0, 0.02), norm weights 1. The
 * values depend only on the seed and each tensor's name, and are generated while they are written, so even a
 * full-size model never sits in memory.
 */
public final class RandomQwen3 {

  /** transformers' {@code initializer_range} for Qwen3. */
  public static final double INITIALIZER_RANGE = 0.02;

  /** What was written: the directory, the parameter count, the bytes of all files, and their names. */
  public record Written(String directory, long parameters, long bytes, List<String> files) {}

  private RandomQwen3() {}

  /**
   * Writes {@code config.json}, {@code generation_config.json}, the weights in {@code config.torchDtype()}
   * (bfloat16 or float32) and, when {@code tokenizer} is not null, copies of its files.
   */
  public static Written write(Path outDir, Qwen3Config config, long seed, TokenizerFiles tokenizer, long maxShardBytes) {
    if (tokenizer != null && tokenizer.vocabSize() > config.vocabSize()) {
      throw new IllegalArgumentException("vocab_size " + config.vocabSize() + " is smaller than the tokenizer's "
          + tokenizer.vocabSize() + " token ids (" + tokenizer.tokenizerJson() + ")");
    }
    List<SafetensorsWriter.Tensor> tensors = tensors(config, seed);
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(outDir);
      files.add(writeJson(outDir.resolve("config.json"), config.toJson()));
      files.add(writeJson(outDir.resolve("generation_config.json"), generationConfig(config)));
      files.addAll(SafetensorsWriter.writeCheckpoint(outDir, tensors, maxShardBytes));
      if (tokenizer != null) {
        files.add(copy(tokenizer.tokenizerJson(), outDir.resolve(TokenizerFiles.TOKENIZER_JSON)));
        if (tokenizer.tokenizerConfig() != null) {
          files.add(copy(tokenizer.tokenizerConfig(), outDir.resolve(TokenizerFiles.TOKENIZER_CONFIG)));
        }
      }
      long bytes = 0;
      for (Path file : files) {
        bytes += Files.size(file);
      }
      List<String> names = files.stream().map(file -> file.getFileName().toString()).toList();
      return new Written(outDir.toString(), Qwen3Layout.parameterCount(config), bytes, names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model to " + outDir + ": " + e, e);
    }
  }

  /** Every checkpoint tensor with its random (or, for norms, constant) values, ready for the writer. */
  public static List<SafetensorsWriter.Tensor> tensors(Qwen3Config config, long seed) {
    Dtype dtype = weightDtype(config.torchDtype());
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    for (Map.Entry<String, List<Long>> entry : Qwen3Layout.tensorShapes(config).entrySet()) {
      String name = entry.getKey();
      SafetensorsWriter.Values values = name.endsWith("norm.weight")
          ? (start, chunk, count) -> Arrays.fill(chunk, 0, count, 1f)
          : new NormalValues(seed, name);
      tensors.add(new SafetensorsWriter.Tensor(name, dtype, entry.getValue(), values));
    }
    return tensors;
  }

  private static Dtype weightDtype(String torchDtype) {
    Dtype dtype = Dtype.ofTorchDtype(torchDtype);
    if (dtype == null) {
      throw new IllegalArgumentException("torch_dtype '" + torchDtype + "': can initialise bfloat16 or float32");
    }
    return dtype;
  }

  /** What transformers derives from the model config when it saves a model it built from one. */
  private static Map<String, Object> generationConfig(Qwen3Config config) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("_from_model_config", true);
    if (config.bosTokenId() != null) {
      json.put("bos_token_id", config.bosTokenId());
    }
    if (!config.eosTokenIds().isEmpty()) {
      json.put("eos_token_id", config.eosTokenIds().size() == 1 ? config.eosTokenIds().get(0) : config.eosTokenIds());
    }
    return json;
  }

  private static Path writeJson(Path file, Map<String, Object> json) throws IOException {
    Files.writeString(file, Json.writePretty(json) + "\n");
    return file;
  }

  private static Path copy(Path source, Path target) throws IOException {
    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /**
   * N(0, INITIALIZER_RANGE) from a generator seeded by the seed and the tensor's name, so a tensor's values do not
   * depend on which tensors come before it. {@link Random}, not SplittableRandom: its Gaussian algorithm is part of
   * its specification, so a seed gives the same model on every JDK.
   */
  private static final class NormalValues implements SafetensorsWriter.Values {
    private final long tensorSeed;
    private Random random;

    NormalValues(long seed, String name) {
      tensorSeed = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    }

    @Override
    public void fill(long start, float[] chunk, int count) {
      if (start == 0) {
        // a second write of the same tensor list starts over and gives the same values
        random = new Random(tensorSeed);
      }
      for (int i = 0; i < count; i++) {
        chunk[i] = (float) (random.nextGaussian() * INITIALIZER_RANGE);
      }
    }
  }
}
