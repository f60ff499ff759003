package net.b4mad.successor.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Projection;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsFile;
import net.b4mad.successor.safetensors.SafetensorsWriter;

/**
 * A LoRA adapter being trained: the projection hook of {@code Qwen3Model.load} that puts a trainable
 * {@link LoraProjection} on every targeted module, and the adapter's parameters under PEFT's key names. A fresh
 * adapter has A Kaiming-uniform ({@code a = sqrt(5)}, as PEFT's {@code reset_lora_parameters}, i.e. uniform in
 * {@code ±1/sqrt(in)}) and B zero, so it leaves the model's outputs unchanged until the first update. Modules
 * trained in full ({@code modules_to_save}) start as copies of the base's tensors, via
 * {@link #fullTensor}. Weights are float32 whatever the base holds.
 */
public final class TrainableLora implements BiFunction<String, Projection, Projection> {

  private final LoraConfig config;
  private final NDManager manager;
  private final LoraDropout dropout;
  private final long seed;
  private final SafetensorsFile initial;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();

  private TrainableLora(LoraConfig config, NDManager manager, long seed, SafetensorsFile initial) {
    this.config = config;
    this.manager = manager;
    this.dropout = new LoraDropout(config.loraDropout());
    this.seed = seed;
    this.initial = initial;
  }

  /** A new adapter; {@code seed} fixes A's initial values (each module's own stream, so order does not matter). */
  public static TrainableLora fresh(LoraConfig config, long seed, NDManager manager) {
    return new TrainableLora(config, manager, seed, null);
  }

  /**
   * Continues training the adapter in {@code adapterDir} (a PEFT directory or one of our checkpoints) under
   * {@code config}, whose rank must match the saved weights. Call {@link #finishLoading()} after the model is
   * built, to check that every saved tensor found its module.
   */
  public static TrainableLora from(Path adapterDir, LoraConfig config, NDManager manager) {
    return new TrainableLora(config, manager, 0, SafetensorsFile.open(adapterDir.resolve(LoraAdapter.WEIGHTS_FILE)));
  }

  @Override
  public Projection apply(String module, Projection base) {
    if (!config.targets(module)) {
      return base;
    }
    NDArray a = parameter(LoraConfig.tensorKey(module, "lora_A"), config.r(), base.inFeatures(), module, true);
    NDArray b = parameter(LoraConfig.tensorKey(module, "lora_B"), base.outFeatures(), config.r(), module, false);
    return new LoraProjection(base, a, b, config.scale(), dropout);
  }

  /**
   * The tensor hook of {@code Qwen3Model.load}: a trainable copy of a module saved in full, started from the
   * base's values (or from the adapter being continued), under PEFT's key; other tensors pass unchanged.
   */
  public NDArray fullTensor(String name, NDArray loaded) {
    if (!config.saves(name)) {
      return loaded;
    }
    String key = LoraConfig.savedKey(name);
    NDArray copy;
    if (initial != null) {
      if (!initial.contains(key)) {
        throw new IllegalArgumentException(initial.path() + " has no " + key + " although the adapter trains "
            + name + " in full; continue with the modules_to_save it was saved with (" + config.modulesToSave() + ")");
      }
      if (!initial.info(key).shape().equals(java.util.Arrays.stream(loaded.getShape().getShape()).boxed().toList())) {
        throw new IllegalArgumentException(initial.path() + ": " + key + " has shape " + initial.info(key).shape()
            + ", the base's " + name + " is " + loaded.getShape() + ": was it trained for another base model?");
      }
      copy = manager.create(initial.readFloats(key), loaded.getShape());
    } else {
      copy = loaded.duplicate();
      copy.attach(manager);
    }
    copy.setRequiresGradient(true);
    parameters.put(key, copy);
    return copy;
  }

  private NDArray parameter(String key, long rows, long columns, String module, boolean kaiming) {
    float[] values;
    if (initial != null) {
      if (!initial.contains(key)) {
        throw new IllegalArgumentException(
            initial.path() + " has no " + key + ": the adapter does not target " + module
                + "; train with the targets it was saved with (" + config.targetModules() + ")");
      }
      List<Long> shape = initial.info(key).shape();
      if (!shape.equals(List.of(rows, columns))) {
        throw new IllegalArgumentException(
            initial.path() + ": " + key + " has shape " + shape + ", expected [" + rows + ", " + columns
                + "] for rank " + config.r() + ": was it trained with another rank or base model?");
      }
      values = initial.readFloats(key);
    } else {
      values = new float[Math.toIntExact(rows * columns)];
      if (kaiming) {
        SplittableRandom random = new SplittableRandom(seed ^ (key.hashCode() * 0x9E3779B97F4A7C15L));
        double bound = 1.0 / Math.sqrt(columns);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) random.nextDouble(-bound, bound);
        }
      }
    }
    NDArray parameter = manager.create(values, new Shape(rows, columns));
    parameter.setRequiresGradient(true);
    parameters.put(key, parameter);
    return parameter;
  }

  /** Closes the saved weights this adapter started from, refusing them when some found no module. */
  public void finishLoading() {
    if (initial == null) {
      return;
    }
    try {
      List<String> unused = new ArrayList<>(initial.names());
      unused.removeAll(parameters.keySet());
      if (!unused.isEmpty()) {
        throw new IllegalArgumentException(
            initial.path() + " has tensors no module of this model took, e.g. " + unused.get(0)
                + ": was it trained for another base model or with other target modules?");
      }
    } finally {
      initial.close();
    }
  }

  public LoraDropout dropout() {
    return dropout;
  }

  /** The trainable arrays by PEFT key, in module order. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  public long parameterCount() {
    return parameters.values().stream().mapToLong(NDArray::size).sum();
  }

  /** Writes the adapter as PEFT saves it: {@code adapter_config.json} and {@code adapter_model.safetensors}. */
  public void save(Path dir) {
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    parameters.forEach((key, array) -> tensors.add(
        SafetensorsWriter.Tensor.of(key, Dtype.F32, array.toFloatArray(), array.getShape().getShape())));
    SafetensorsWriter.writeFile(dir.resolve(LoraAdapter.WEIGHTS_FILE), tensors, SafetensorsWriter.PT_METADATA);
    AtomicFiles.writeStringUnchecked(dir.resolve(LoraConfig.FILE), Json.writePretty(config.toJson()) + "\n");
  }

  /** {@link #save} into a directory that appears complete or not at all. */
  public void saveAtomically(Path dir) {
    try {
      AtomicFiles.writeDirectory(dir, this::save);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the adapter to " + dir + ": " + e.getMessage(), e);
    }
  }
}
