package net.b4mad.successor.models;

/**
 * A model directory in Hugging Face layout found on disk.
 *
 * @param name the Hugging Face id for a cache entry ({@code Qwen/Qwen3-8B}), else the path below the folder searched
 * @param source where it was found: {@code workspace} (its models/ folder), {@code allowed_dir} or {@code hf_cache}
 * @param revision the snapshot (commit) of a Hugging Face cache entry; null elsewhere
 * @param parameters from the safetensors headers; null when they cannot be read
 * @param dtype the weights' dtype (the one most parameters have), else config.json's torch_dtype
 * @param bytes the size of the weights
 * @param loadable Successor can train and evaluate it
 * @param problem why not, and what would fix it; null when loadable
 */
public record BaseModel(
    String name,
    String path,
    String source,
    String revision,
    String modelType,
    Long parameters,
    String dtype,
    long bytes,
    boolean loadable,
    String problem) {}
