package net.b4mad.successor.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsCheckpoint;
import net.b4mad.successor.safetensors.TensorInfo;
import tools.jackson.databind.JsonNode;

/**
 * Finds base models on local disk, never on the network: Hugging Face model directories (a {@code config.json}
 * with a {@code model_type}, safetensors weights) in the workspace's {@code models/} folder and the allowed
 * directories, a few levels deep, and the entries of the Hugging Face cache ({@code models--Org--Name/snapshots/
 * <revision>/}). The cache is listed only when it lies inside an allowed directory: a model there that tools may
 * not read would be of no use.
 */
public final class ModelDiscovery {

  public static final int DEFAULT_DEPTH = 3;
  private static final String HUB_PREFIX = "models--";

  /** A place that was searched, or would have been, and why not. */
  public record Searched(String path, String source, boolean scanned, String note) {}

  public record Found(List<BaseModel> models, List<Searched> searched) {}

  private ModelDiscovery() {}

  /** Where the Hugging Face hub keeps downloads: {@code $HF_HUB_CACHE}, {@code $HF_HOME/hub}, or the default. */
  public static Path huggingFaceCache(Map<String, String> env, String userHome) {
    if (env.get("HF_HUB_CACHE") != null) {
      return Path.of(env.get("HF_HUB_CACHE"));
    }
    if (env.get("HF_HOME") != null) {
      return Path.of(env.get("HF_HOME"), "hub");
    }
    return Path.of(userHome, ".cache", "huggingface", "hub");
  }

  /**
   * @param modelsDir the workspace's models/ folder
   * @param allowedDirs the other directories tools may read (not the workspace itself: its runs hold no base models)
   * @param allowedRoots every allowed root, to decide whether the cache may be listed
   */
  public static Found scan(Path modelsDir, List<Path> allowedDirs, List<Path> allowedRoots, Path hfCache, int depth) {
    Map<Path, BaseModel> found = new LinkedHashMap<>();
    List<Searched> searched = new ArrayList<>();
    List<Path> named = new ArrayList<>(List.of(modelsDir));
    named.addAll(allowedDirs);
    walk(modelsDir, "workspace", depth, named, found);
    searched.add(new Searched(modelsDir.toString(), "workspace", true, null));
    for (Path dir : allowedDirs) {
      walk(dir, "allowed_dir", depth, named, found);
      searched.add(new Searched(dir.toString(), "allowed_dir", true, null));
    }
    Path cache = realPath(hfCache);
    if (!Files.isDirectory(cache)) {
      searched.add(new Searched(hfCache.toString(), "hf_cache", false, "no Hugging Face cache there"));
    } else if (allowedRoots.stream().noneMatch(cache::startsWith)) {
      searched.add(new Searched(cache.toString(), "hf_cache", false, "outside the allowed directories: restart the"
          + " server with --allow-dir " + cache + " to list and use the models there"));
    } else {
      walk(cache, "hf_cache", 1, named, found);
      searched.add(new Searched(cache.toString(), "hf_cache", true, null));
    }
    return new Found(List.copyOf(found.values()), searched);
  }

  /**
   * The name a model directory goes by: {@code Org/Name} for a Hugging Face cache snapshot, else its path below
   * the deepest of {@code roots} that holds it, else its folder's name.
   */
  public static String nameOf(Path dir, List<Path> roots) {
    Path real = realPath(dir);
    Path snapshots = real.getParent();
    Path repo = snapshots == null ? null : snapshots.getParent();
    if (repo != null && snapshots.getFileName().toString().equals("snapshots")
        && repo.getFileName().toString().startsWith(HUB_PREFIX)) {
      return hubId(repo);
    }
    return roots.stream().map(ModelDiscovery::realPath)
        .filter(root -> real.startsWith(root) && !real.equals(root))
        .max(Comparator.comparingInt(Path::getNameCount))
        .map(root -> root.relativize(real).toString())
        .orElse(real.getFileName().toString());
  }

  private static String hubId(Path repo) {
    return repo.getFileName().toString().substring(HUB_PREFIX.length()).replaceFirst("--", "/");
  }

  /**
   * Looks for model folders up to {@code depth} levels below {@code root}. Hidden folders are skipped (caches,
   * virtual environments, half-written files), and so is everything below a model folder.
   */
  private static void walk(Path root, String source, int depth, List<Path> named, Map<Path, BaseModel> found) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try {
      // Folders at the walk's maximum depth are only visited as files, so it goes one level further.
      Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), depth + 1,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              String folder = dir.getFileName().toString();
              if (!dir.equals(root) && folder.startsWith(".")) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (folder.startsWith(HUB_PREFIX)) {
                for (Path snapshot : list(dir.resolve("snapshots"))) {
                  add(snapshot, source, snapshot.getFileName().toString(), named, found);
                }
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (Files.isRegularFile(dir.resolve("config.json"))) {
                add(dir, source, null, named, found);
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search " + root + " for models: " + e.getMessage(), e);
    }
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void add(Path dir, String source, String revision, List<Path> named, Map<Path, BaseModel> found) {
    Path real = realPath(dir);
    if (found.containsKey(real)) {
      return;
    }
    BaseModel model = inspect(real, nameOf(real, named), source, revision);
    if (model != null) {
      found.put(real, model);
    }
  }

  /** The model in {@code dir}, or null when its config.json names no model type (then it is no model folder). */
  static BaseModel inspect(Path dir, String name, String source, String revision) {
    JsonNode config;
    try {
      config = Json.readTree(dir.resolve("config.json"));
    } catch (RuntimeException e) {
      return null;
    }
    String modelType = config.path("model_type").asString(null);
    if (modelType == null) {
      return null;
    }
    String problem = null;
    try {
      Qwen3Config.parse(config);
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
    }
    Long parameters = null;
    String dtype = config.path("torch_dtype").asString(config.path("dtype").asString(null));
    long bytes = 0;
    try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(dir)) {
      Map<Dtype, Long> byDtype = new HashMap<>();
      long count = 0;
      for (String tensor : weights.names()) {
        TensorInfo info = weights.info(tensor);
        count += info.elementCount();
        bytes += info.byteSize();
        byDtype.merge(info.dtype(), info.elementCount(), Long::sum);
      }
      parameters = count;
      Dtype main = byDtype.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
      if (main != null) {
        dtype = main.name();
      }
      if (problem == null && byDtype.keySet().stream().anyMatch(d -> !d.readableAsFloat())) {
        problem = "its weights include " + byDtype.keySet() + " tensors (a pre-quantised checkpoint: GPTQ, AWQ or"
            + " FP8); Successor reads F32, BF16 and F16 weights and quantises to NF4 itself (qlora: true), so use the"
            + " unquantised model";
      }
    } catch (RuntimeException e) {
      if (problem == null) {
        problem = "its weights cannot be read: " + e.getMessage()
            + (revision == null ? "" : " (an unfinished download? the cache entry may lack a shard)");
      }
    }
    if (problem == null && !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      problem = "it has no tokenizer.json, which training and evaluation need; copy the base model's tokenizer files"
          + " beside config.json";
    }
    return new BaseModel(name, dir.toString(), source, revision, modelType, parameters, dtype, bytes, problem == null,
        problem);
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
