package net.b4mad.successor.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.qwen3.Projection;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.safetensors.SafetensorsFile;

/**
 * A PEFT LoRA adapter directory ({@code adapter_config.json} + {@code adapter_model.safetensors}) applied to
 * a model's projections as they are built.
 */
public final class LoraAdapter implements AutoCloseable {

  public static final String WEIGHTS_FILE = "adapter_model.safetensors";

  private final LoraConfig config;
  private final SafetensorsFile weights;
  private final Set<String> used = new HashSet<>();

  private LoraAdapter(LoraConfig config, SafetensorsFile weights) {
    this.config = config;
    this.weights = weights;
  }

  public static LoraAdapter open(Path dir) {
    if (!Files.isRegularFile(dir.resolve(LoraConfig.FILE))) {
      throw new IllegalArgumentException(dir + " is not a PEFT adapter directory: it has no " + LoraConfig.FILE);
    }
    LoraConfig config = LoraConfig.read(dir);
    Path file = dir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(dir + " has no " + WEIGHTS_FILE);
    }
    return new LoraAdapter(config, SafetensorsFile.open(file));
  }

  /** Loads a base model with a PEFT LoRA adapter applied (none when adapterDir is null), onto the default device. */
  public static Qwen3Model loadModel(Path modelDir, Path adapterDir) {
    if (adapterDir == null) {
      return Qwen3Model.load(modelDir);
    }
    NDManager manager = NDManager.newBaseManager(ComputeDevices.defaultDevice());
    try (LoraAdapter adapter = open(adapterDir)) {
      Qwen3Model model = Qwen3Model.load(modelDir, manager, (module, base) -> adapter.wrap(module, base, manager),
          (name, loaded) -> adapter.saved(name, loaded, manager));
      if (!adapter.unusedTensors().isEmpty()) {
        model.close();
        throw new IllegalArgumentException(
            "the adapter in " + adapterDir + " has tensors this model has no place for, e.g. "
                + adapter.unusedTensors().iterator().next() + ": was it trained for another base model?");
      }
      return model;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public LoraConfig config() {
    return config;
  }

  /**
   * The projection for a module, with the adapter's update when it targets it.
   *
   * @param module the checkpoint name without {@code .weight}, e.g. {@code model.layers.0.self_attn.q_proj}
   */
  public Projection wrap(String module, Projection base, NDManager manager) {
    if (!config.targets(module)) {
      return base;
    }
    String aKey = LoraConfig.tensorKey(module, "lora_A");
    String bKey = LoraConfig.tensorKey(module, "lora_B");
    if (!weights.contains(aKey) || !weights.contains(bKey)) {
      throw new IllegalArgumentException(
          weights.path() + " lacks " + aKey + " or " + bKey + ", although adapter_config.json targets "
              + module.substring(module.lastIndexOf('.') + 1));
    }
    used.add(aKey);
    used.add(bKey);
    return new LoraProjection(base, load(aKey, manager), load(bKey, manager), config.scale(), LoraDropout.none());
  }

  /** A module the adapter trained in full replaces the base's tensor; anything else passes unchanged. */
  public NDArray saved(String name, NDArray loaded, NDManager manager) {
    if (!config.saves(name)) {
      return loaded;
    }
    String key = LoraConfig.savedKey(name);
    if (!weights.contains(key)) {
      throw new IllegalArgumentException(weights.path() + " lacks " + key + ", although adapter_config.json's"
          + " modules_to_save " + config.modulesToSave() + " take " + name);
    }
    if (!weights.info(key).shape().equals(java.util.Arrays.stream(loaded.getShape().getShape()).boxed().toList())) {
      throw new IllegalArgumentException(weights.path() + ": " + key + " has shape " + weights.info(key).shape()
          + " but the base's " + name + " is " + loaded.getShape() + ": was it trained for another base model?");
    }
    used.add(key);
    return load(key, manager);
  }

  /** Tensors of the adapter that no module took: a sign that it was trained for another architecture. */
  public Set<String> unusedTensors() {
    Set<String> unused = new HashSet<>(weights.names());
    unused.removeAll(used);
    return unused;
  }

  private NDArray load(String key, NDManager manager) {
    return manager.create(weights.readFloats(key), new Shape(weights.info(key).shapeArray()));
  }

  @Override
  public void close() {
    weights.close();
  }
}
