package net.b4mad.successor.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the data. The header is read and checked when the file is opened; tensor
 * data is memory-mapped when it is read and converted to float32 here, since DJL cannot hold BF16.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** The reference (Rust) implementation refuses longer headers; a larger length means a corrupt or foreign file. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  /** A mapping cannot exceed 2 GiB, so large tensors are mapped in pieces; a multiple of every dtype's size. */
  static final int MAP_CHUNK_BYTES = 1 << 30;

  private final Path path;
  private final FileChannel channel;
  private final int mapChunkBytes;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, int mapChunkBytes) throws IOException {
    this.path = path;
    this.channel = channel;
    this.mapChunkBytes = mapChunkBytes;
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw invalid("is " + fileSize + " bytes long, too short to be a safetensors file");
    }
    long headerLength = read(0, 8).getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
      throw invalid("header length " + headerLength + " is implausible; is this a safetensors file?");
    }
    if (8 + headerLength > fileSize) {
      throw invalid("is truncated: the header needs " + (8 + headerLength) + " bytes, the file has " + fileSize);
    }
    dataStart = 8 + headerLength;
    byte[] header = new byte[(int) headerLength];
    read(8, (int) headerLength).get(header);
    if (header[0] != '{') {
      throw invalid("header does not start with '{'; is this a safetensors file?");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(new String(header, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw invalid("header is not valid JSON: " + e.getOriginalMessage());
    }
    if (!root.isObject()) {
      throw invalid("header is not a JSON object");
    }
    Map<String, TensorInfo> parsed = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      if (entry.getKey().equals("__metadata__")) {
        parseMetadata(entry.getValue(), meta);
      } else {
        parsed.put(entry.getKey(), parseTensor(entry.getKey(), entry.getValue()));
      }
    }
    tensors = Collections.unmodifiableMap(parsed);
    metadata = Collections.unmodifiableMap(meta);
    checkExtents(fileSize - dataStart);
  }

  public static SafetensorsFile open(Path path) {
    return open(path, MAP_CHUNK_BYTES);
  }

  /** With a small {@code mapChunkBytes}, tests cross mapping boundaries without 2 GiB files. */
  static SafetensorsFile open(Path path, int mapChunkBytes) {
    if (mapChunkBytes <= 0 || mapChunkBytes % 8 != 0) {
      throw new IllegalArgumentException("mapChunkBytes must be a positive multiple of 8, got " + mapChunkBytes);
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + path + ": " + e, e);
    }
    try {
      return new SafetensorsFile(path, channel, mapChunkBytes);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot read " + path + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Tensor names in header order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The header's {@code __metadata__} (string to string); empty when there is none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new IllegalArgumentException("no tensor '" + name + "' in " + path);
    }
    return info;
  }

  public float[] readFloats(String name) {
    TensorInfo info = info(name);
    long count = info.elementCount();
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          path + ": tensor '" + name + "' has " + count + " elements, more than a Java array can hold");
    }
    float[] values = new float[(int) count];
    readFloats(name, FloatBuffer.wrap(values));
    return values;
  }

  /** Converts the tensor into {@code into} at its position, which advances; a direct buffer avoids a copy. */
  public void readFloats(String name, FloatBuffer into) {
    TensorInfo info = info(name);
    if (into.remaining() < info.elementCount()) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' has " + info.elementCount() + " elements, the buffer room for " + into.remaining());
    }
    readFloats(name, 0, info.elementCount(), into);
  }

  /**
   * Converts elements {@code [start, start + count)} of the tensor (row-major) into {@code into}, which advances;
   * so a tensor can be streamed a chunk at a time instead of being held whole.
   */
  public void readFloats(String name, long start, long count, FloatBuffer into) {
    TensorInfo info = info(name);
    if (!info.dtype().readableAsFloat()) {
      throw new IllegalArgumentException(
          path + ": tensor '" + name + "' has dtype " + info.dtype() + "; only F32, BF16 and F16 can be read as floats");
    }
    if (start < 0 || count < 0 || start + count > info.elementCount()) {
      throw new IllegalArgumentException(
          "elements " + start + ".." + (start + count) + " lie outside tensor '" + name + "' of " + info.elementCount());
    }
    if (into.remaining() < count) {
      throw new IllegalArgumentException("reading " + count + " elements of tensor '" + name + "', the buffer has room for "
          + into.remaining());
    }
    int size = info.dtype().byteSize();
    long position = dataStart + info.begin() + start * size;
    long end = position + count * size;
    try {
      // The file may have shrunk since it was opened; touching a mapping past its end would crash the JVM.
      if (end > channel.size()) {
        throw invalid("is truncated: tensor '" + name + "' ends at byte " + end + ", the file now has " + channel.size());
      }
      while (position < end) {
        int length = (int) Math.min(end - position, mapChunkBytes);
        ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
        decode(info.dtype(), bytes, into);
        position += length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tensor '" + name + "' from " + path + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path + ": " + e, e);
    }
  }

  /** Elements converted per bulk get/put: element-wise puts into a direct buffer cost ten times more. */
  private static final int DECODE_CHUNK = 1 << 14;

  private static void decode(Dtype dtype, ByteBuffer bytes, FloatBuffer into) {
    if (dtype == Dtype.F32) {
      into.put(bytes.asFloatBuffer());
      return;
    }
    if (dtype != Dtype.BF16 && dtype != Dtype.F16) {
      throw new IllegalStateException("no float conversion for " + dtype);
    }
    ShortBuffer halves = bytes.asShortBuffer();
    short[] raw = new short[DECODE_CHUNK];
    float[] converted = new float[DECODE_CHUNK];
    while (halves.hasRemaining()) {
      int count = Math.min(raw.length, halves.remaining());
      halves.get(raw, 0, count);
      if (dtype == Dtype.BF16) {
        for (int i = 0; i < count; i++) {
          converted[i] = HalfPrecision.bf16ToFloat(raw[i]);
        }
      } else {
        for (int i = 0; i < count; i++) {
          converted[i] = HalfPrecision.f16ToFloat(raw[i]);
        }
      }
      into.put(converted, 0, count);
    }
  }


  private void parseMetadata(JsonNode node, Map<String, String> into) {
    if (node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw invalid("__metadata__ is not a JSON object");
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isString()) {
        throw invalid("__metadata__ value for '" + entry.getKey() + "' is not a string");
      }
      into.put(entry.getKey(), entry.getValue().asString());
    }
  }

  private TensorInfo parseTensor(String name, JsonNode node) {
    String where = "tensor '" + name + "': ";
    if (!node.isObject()) {
      throw invalid(where + "header entry is not a JSON object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isString()) {
      throw invalid(where + "'dtype' is missing or not a string");
    }
    Dtype dtype;
    try {
      dtype = Dtype.parse(dtypeNode.asString());
    } catch (IllegalArgumentException e) {
      throw invalid(where + e.getMessage());
    }
    List<Long> shape = nonNegativeLongs(node.get("shape"), where + "'shape'");
    List<Long> offsets = nonNegativeLongs(node.get("data_offsets"), where + "'data_offsets'");
    if (offsets.size() != 2 || offsets.get(0) > offsets.get(1)) {
      throw invalid(where + "'data_offsets' must be [begin, end] with begin <= end, got " + offsets);
    }
    TensorInfo info = new TensorInfo(name, dtype, shape, offsets.get(0), offsets.get(1));
    long expected;
    try {
      expected = Math.multiplyExact(info.elementCount(), dtype.byteSize());
    } catch (ArithmeticException e) {
      throw invalid(where + "shape " + shape + " is too large");
    }
    if (info.byteSize() != expected) {
      throw invalid(where + "data_offsets " + offsets + " span " + info.byteSize() + " bytes, but " + dtype
          + " " + shape + " needs " + expected);
    }
    return info;
  }

  private List<Long> nonNegativeLongs(JsonNode node, String what) {
    if (node == null || !node.isArray()) {
      throw invalid(what + " is missing or not an array");
    }
    List<Long> values = new ArrayList<>();
    for (JsonNode value : node) {
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
        throw invalid(what + " must hold non-negative integers, got " + node);
      }
      values.add(value.asLong());
    }
    return values;
  }

  /** Every tensor lies inside the data section, and no two share bytes. */
  private void checkExtents(long dataSize) {
    List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
    byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    TensorInfo previous = null;
    for (TensorInfo info : byOffset) {
      if (info.end() > dataSize) {
        throw invalid("is truncated: tensor '" + info.name() + "' needs data bytes " + info.begin() + ".." + info.end()
            + ", but only " + dataSize + " bytes follow the header");
      }
      if (previous != null && info.begin() < previous.end() && info.byteSize() > 0) {
        throw invalid("tensors '" + previous.name() + "' and '" + info.name() + "' overlap");
      }
      if (info.byteSize() > 0) {
        previous = info;
      }
    }
  }

  private ByteBuffer read(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException("end of file at byte " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }

  private IllegalArgumentException invalid(String detail) {
    return new IllegalArgumentException(path + ": " + detail);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // the open already failed; that failure is the one to report
    }
  }
}
