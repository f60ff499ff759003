package net.b4mad.successor.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;

/**
 * Writes safetensors files the way the reference library does: tensors ordered by dtype (widest first, so each
 * stays aligned) then name, {@code __metadata__} first in the header, the header padded with spaces to a
 * multiple of 8 bytes, data contiguous. Values are pulled from each tensor's source a chunk at a time, so a
 * model larger than memory can be written. Every file appears atomically: written beside its target, forced to
 * disk, then renamed.
 */
public final class SafetensorsWriter {

  /** What transformers puts in a checkpoint header; loaders read it to pick the framework. */
  public static final Map<String, String> PT_METADATA = Map.of("format", "pt");

  /** transformers' default {@code max_shard_size} ("5GB"). */
  public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

  private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");
  private static final int CHUNK_FLOATS = 1 << 16;

  /** A tensor's values in row-major order, produced on demand. */
  @FunctionalInterface
  public interface Values {
    /**
     * Fills {@code chunk[0, count)} with elements {@code [start, start + count)}. The writer asks for consecutive
     * ranges from 0 upwards, once each, so a source may be a stateful generator.
     */
    void fill(long start, float[] chunk, int count);
  }

  /** A tensor to write, stored as {@code dtype} (F32 or BF16). */
  public record Tensor(String name, Dtype dtype, List<Long> shape, Values values) {

    public Tensor {
      shape = List.copyOf(shape);
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a tensor needs a name");
      }
      if (dtype != Dtype.F32 && dtype != Dtype.BF16) {
        throw new IllegalArgumentException("tensor '" + name + "': can write F32 or BF16, not " + dtype);
      }
      if (shape.stream().anyMatch(dim -> dim < 0)) {
        throw new IllegalArgumentException("tensor '" + name + "': negative dimension in " + shape);
      }
    }

    public static Tensor of(String name, Dtype dtype, float[] values, long... shape) {
      List<Long> dims = Arrays.stream(shape).boxed().toList();
      Tensor tensor = new Tensor(name, dtype, dims, (start, chunk, count) ->
          System.arraycopy(values, (int) start, chunk, 0, count));
      if (tensor.elementCount() != values.length) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': shape " + dims + " holds " + tensor.elementCount() + " values, got " + values.length);
      }
      return tensor;
    }

    public long elementCount() {
      long count = 1;
      for (long dim : shape) {
        count = Math.multiplyExact(count, dim);
      }
      return count;
    }

    public long byteSize() {
      return Math.multiplyExact(elementCount(), dtype.byteSize());
    }
  }

  private SafetensorsWriter() {}

  /** One file; {@code metadata} may be empty. */
  public static void writeFile(Path file, List<Tensor> tensors, Map<String, String> metadata) {
    List<Tensor> ordered = ordered(tensors);
    byte[] header = header(ordered, metadata);
    writeAtomically(file, channel -> {
      ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
      prefix.putLong(header.length).put(header).flip();
      writeFully(channel, prefix);
      float[] chunk = new float[CHUNK_FLOATS];
      ByteBuffer bytes = ByteBuffer.allocateDirect(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (Tensor tensor : ordered) {
        writeData(channel, tensor, chunk, bytes);
      }
      long expected = 8L + header.length + ordered.stream().mapToLong(Tensor::byteSize).sum();
      if (channel.position() != expected) {
        throw new IllegalStateException("wrote " + channel.position() + " bytes to " + file + ", expected " + expected);
      }
    });
  }

  /**
   * A model directory's weights, as transformers saves them: {@code model.safetensors} when everything fits in
   * {@code maxShardBytes}, otherwise {@code model-00001-of-0000N.safetensors} shards plus
   * {@code model.safetensors.index.json}. Weight files of an earlier save that the new one does not use are
   * deleted, so a loader cannot pick up a stale mix. Returns the files written.
   */
  public static List<Path> writeCheckpoint(Path modelDir, List<Tensor> tensors, long maxShardBytes) {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be positive, got " + maxShardBytes);
    }
    List<List<Tensor>> shards = shards(ordered(tensors), maxShardBytes);
    List<Path> written = new ArrayList<>();
    if (shards.size() == 1) {
      Path file = modelDir.resolve(SafetensorsCheckpoint.SINGLE_FILE);
      writeFile(file, shards.get(0), PT_METADATA);
      written.add(file);
    } else {
      Map<String, String> weightMap = new TreeMap<>();
      long totalSize = 0;
      for (int i = 0; i < shards.size(); i++) {
        String shardName = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, shards.size());
        Path file = modelDir.resolve(shardName);
        writeFile(file, shards.get(i), PT_METADATA);
        written.add(file);
        for (Tensor tensor : shards.get(i)) {
          weightMap.put(tensor.name(), shardName);
          totalSize += tensor.byteSize();
        }
      }
      Map<String, Object> index = new LinkedHashMap<>();
      index.put("metadata", Map.of("total_size", totalSize));
      index.put("weight_map", weightMap);
      Path indexFile = modelDir.resolve(SafetensorsCheckpoint.INDEX_FILE);
      byte[] json = (Json.writePretty(index) + "\n").getBytes(StandardCharsets.UTF_8);
      writeAtomically(indexFile, channel -> writeFully(channel, ByteBuffer.wrap(json)));
      written.add(indexFile);
    }
    deleteStaleWeights(modelDir, written);
    return List.copyOf(written);
  }

  /** The reference library's order: dtype descending (widest first, keeping data aligned), then name. */
  private static List<Tensor> ordered(List<Tensor> tensors) {
    Set<String> seen = new HashSet<>();
    for (Tensor tensor : tensors) {
      if (!seen.add(tensor.name())) {
        throw new IllegalArgumentException("tensor '" + tensor.name() + "' is given twice");
      }
    }
    List<Tensor> ordered = new ArrayList<>(tensors);
    ordered.sort(Comparator.comparing((Tensor t) -> t.dtype().ordinal()).reversed().thenComparing(Tensor::name));
    return ordered;
  }

  /** Greedy, in order, as transformers splits: a tensor larger than the limit gets a shard of its own. */
  private static List<List<Tensor>> shards(List<Tensor> ordered, long maxShardBytes) {
    List<List<Tensor>> shards = new ArrayList<>();
    List<Tensor> current = new ArrayList<>();
    long currentBytes = 0;
    for (Tensor tensor : ordered) {
      if (!current.isEmpty() && currentBytes + tensor.byteSize() > maxShardBytes) {
        shards.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(tensor);
      currentBytes += tensor.byteSize();
    }
    shards.add(current);
    return shards;
  }

  private static byte[] header(List<Tensor> ordered, Map<String, String> metadata) {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", new TreeMap<>(metadata));
    }
    long offset = 0;
    for (Tensor tensor : ordered) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", tensor.dtype().name());
      entry.put("shape", tensor.shape());
      entry.put("data_offsets", List.of(offset, offset + tensor.byteSize()));
      header.put(tensor.name(), entry);
      offset += tensor.byteSize();
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padding = (8 - json.length % 8) % 8;
    byte[] padded = Arrays.copyOf(json, json.length + padding);
    Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  private static void writeData(FileChannel channel, Tensor tensor, float[] chunk, ByteBuffer bytes) throws IOException {
    long total = tensor.elementCount();
    for (long start = 0; start < total; start += chunk.length) {
      int count = (int) Math.min(chunk.length, total - start);
      tensor.values().fill(start, chunk, count);
      bytes.clear();
      if (tensor.dtype() == Dtype.F32) {
        for (int i = 0; i < count; i++) {
          bytes.putFloat(chunk[i]);
        }
      } else {
        for (int i = 0; i < count; i++) {
          bytes.putShort(HalfPrecision.floatToBf16(chunk[i]));
        }
      }
      writeFully(channel, bytes.flip());
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private static void deleteStaleWeights(Path modelDir, List<Path> written) {
    try (Stream<Path> entries = Files.list(modelDir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        boolean weights = name.equals(SafetensorsCheckpoint.SINGLE_FILE)
            || name.equals(SafetensorsCheckpoint.INDEX_FILE)
            || SHARD_NAME.matcher(name).matches();
        if (weights && !written.contains(entry)) {
          Files.deleteIfExists(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove stale weight files from " + modelDir + ": " + e, e);
    }
  }

  /** Readers see the old file or the complete new one; a crash leaves only a stray hidden temporary file. */
  private static void writeAtomically(Path target, AtomicFiles.ChannelBody body) {
    try {
      AtomicFiles.writeChannel(target, body);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
