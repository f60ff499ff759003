package net.b4mad.successor.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} maps each tensor name to. Every shard is opened, and every name the
 * index lists is checked against its shard, when the checkpoint is opened.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final Path directory;
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> fileByName;

  private SafetensorsCheckpoint(Path directory, List<SafetensorsFile> files, Map<String, SafetensorsFile> fileByName) {
    this.directory = directory;
    this.files = List.copyOf(files);
    this.fileByName = Collections.unmodifiableMap(fileByName);
  }

  /** Prefers {@code model.safetensors} over an index, as transformers does. */
  public static SafetensorsCheckpoint open(Path modelDir) {
    modelDir = modelDir.toAbsolutePath().normalize();
    Path single = modelDir.resolve(SINGLE_FILE);
    Path index = modelDir.resolve(INDEX_FILE);
    if (Files.isRegularFile(single)) {
      SafetensorsFile file = SafetensorsFile.open(single);
      Map<String, SafetensorsFile> byName = new TreeMap<>();
      file.names().forEach(name -> byName.put(name, file));
      return new SafetensorsCheckpoint(modelDir, List.of(file), byName);
    }
    if (Files.isRegularFile(index)) {
      return openSharded(modelDir, index);
    }
    throw new IllegalArgumentException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in " + modelDir);
  }

  private static SafetensorsCheckpoint openSharded(Path modelDir, Path index) {
    Map<String, String> weightMap = readWeightMap(index);
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    try {
      Map<String, SafetensorsFile> byName = new TreeMap<>();
      for (Map.Entry<String, String> entry : weightMap.entrySet()) {
        String shardName = entry.getValue();
        SafetensorsFile shard = shards.get(shardName);
        if (shard == null) {
          Path shardPath = modelDir.resolve(shardName).normalize();
          if (!shardPath.startsWith(modelDir) || !Files.isRegularFile(shardPath)) {
            throw new IllegalArgumentException(
                index + " maps '" + entry.getKey() + "' to shard " + shardName + ", which is missing from " + modelDir);
          }
          shard = SafetensorsFile.open(shardPath);
          shards.put(shardName, shard);
        }
        if (!shard.contains(entry.getKey())) {
          throw new IllegalArgumentException(
              index + " maps '" + entry.getKey() + "' to " + shardName + ", but that shard has no such tensor");
        }
        byName.put(entry.getKey(), shard);
      }
      return new SafetensorsCheckpoint(modelDir, new ArrayList<>(shards.values()), byName);
    } catch (RuntimeException e) {
      shards.values().forEach(SafetensorsFile::close);
      throw e;
    }
  }

  private static Map<String, String> readWeightMap(Path index) {
    JsonNode weightMap;
    try {
      weightMap = Json.MAPPER.readTree(Files.readString(index)).path("weight_map");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index + ": " + e, e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(index + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!weightMap.isObject() || weightMap.isEmpty()) {
      throw new IllegalArgumentException(index + " has no 'weight_map' object naming the shard of each tensor");
    }
    Map<String, String> shardByName = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
      if (!entry.getValue().isString()) {
        throw new IllegalArgumentException(index + ": weight_map entry '" + entry.getKey() + "' is not a file name");
      }
      shardByName.put(entry.getKey(), entry.getValue().asString());
    }
    return shardByName;
  }

  public Path directory() {
    return directory;
  }

  /** Tensor names, sorted. */
  public Set<String> names() {
    return fileByName.keySet();
  }

  public boolean contains(String name) {
    return fileByName.containsKey(name);
  }

  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  public long[] shape(String name) {
    return info(name).shapeArray();
  }

  public float[] floats(String name) {
    return file(name).readFloats(name);
  }

  public void readFloats(String name, FloatBuffer into) {
    file(name).readFloats(name, into);
  }

  /** Elements {@code [start, start + count)} of a tensor, for streaming it a chunk at a time. */
  public void readFloats(String name, long start, long count, FloatBuffer into) {
    file(name).readFloats(name, start, count, into);
  }

  @Override
  public void close() {
    files.forEach(SafetensorsFile::close);
  }

  private SafetensorsFile file(String name) {
    SafetensorsFile file = fileByName.get(name);
    if (file == null) {
      throw new IllegalArgumentException(
          "no tensor '" + name + "' in the checkpoint at " + directory + "; closest names: " + closestNames(name, 3));
    }
    return file;
  }

  /** The few names fewest edits away, to catch a misspelt prefix or layer number at a glance. */
  private String closestNames(String name, int count) {
    Map<String, Integer> distance = new TreeMap<>();
    fileByName.keySet().forEach(candidate -> distance.put(candidate, editDistance(name, candidate)));
    return distance.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .limit(count)
        .map(Map.Entry::getKey)
        .collect(Collectors.joining(", "));
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
