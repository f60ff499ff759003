package net.b4mad.successor.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  static final Path TIED_BF16 = SharedFixtures.resolve("qwen3-tiny/tied-bf16");
  static final Path UNTIED_F32 = SharedFixtures.resolve("qwen3-tiny/untied-f32");

  @TempDir Path dir;

  @Test
  void readsTheBf16FixtureInQwen3Layout() {
    try (SafetensorsFile file = SafetensorsFile.open(TIED_BF16.resolve("model.safetensors"))) {
      assertEquals(Map.of("format", "pt"), file.metadata());
      assertEquals(24, file.names().size());
      assertEquals(List.of(1024L, 64L), file.info("model.embed_tokens.weight").shape());
      assertEquals(List.of(4L * 32, 64L), file.info("model.layers.0.self_attn.q_proj.weight").shape());
      assertEquals(List.of(2L * 32, 64L), file.info("model.layers.0.self_attn.k_proj.weight").shape());
      assertEquals(List.of(64L, 4L * 32), file.info("model.layers.0.self_attn.o_proj.weight").shape());
      assertEquals(List.of(32L), file.info("model.layers.0.self_attn.q_norm.weight").shape());
      assertEquals(List.of(128L, 64L), file.info("model.layers.1.mlp.gate_proj.weight").shape());
      assertEquals(Dtype.BF16, file.info("model.norm.weight").dtype());
      assertTrue(!file.contains("lm_head.weight"), "tied: no separate LM head");
      assertLayout(file, Qwen3Config.read(TIED_BF16.resolve("config.json")));

      // expected values decoded from the file's bytes with Python's struct module
      float[] q = file.readFloats("model.layers.1.self_attn.q_proj.weight");
      assertEquals(128 * 64, q.length);
      assertEquals(-0.0859375f, q[0]);
      assertEquals(0.0859375f, q[1]);
      assertEquals(-0.1123046875f, q[2]);
      float[] norm = file.readFloats("model.norm.weight");
      assertEquals(0.91015625f, norm[0]);
      assertEquals(1.1640625f, norm[1]);
      assertEquals(0.89453125f, norm[2]);
    }
  }

  @Test
  void readsTheF32FixtureInQwen3Layout() {
    try (SafetensorsFile file = SafetensorsFile.open(UNTIED_F32.resolve("model.safetensors"))) {
      assertEquals(1 + 3 * 11 + 1 + 1, file.names().size());
      assertEquals(List.of(1024L, 48L), file.info("lm_head.weight").shape());
      assertEquals(List.of(4L * 16, 48L), file.info("model.layers.2.self_attn.q_proj.weight").shape());
      assertEquals(List.of(16L, 48L), file.info("model.layers.2.self_attn.v_proj.weight").shape());
      assertEquals(Dtype.F32, file.info("lm_head.weight").dtype());
      assertLayout(file, Qwen3Config.read(UNTIED_F32.resolve("config.json")));

      float[] head = file.readFloats("lm_head.weight");
      assertEquals(-0.14581461250782013f, head[0]);
      assertEquals(0.017209108918905258f, head[1]);
      float[] down = file.readFloats("model.layers.2.mlp.down_proj.weight");
      assertEquals(-0.043525706976652145f, down[2]);
      assertEquals(1.0940358638763428f, file.readFloats("model.layers.2.self_attn.k_norm.weight")[2]);
    }
  }

  private static void assertLayout(SafetensorsFile file, Qwen3Config config) {
    Map<String, List<Long>> expected = Qwen3Layout.tensorShapes(config);
    assertEquals(expected.keySet(), file.names());
    expected.forEach((name, shape) -> assertEquals(shape, file.info(name).shape(), name));
  }

  @Test
  void fillsADirectBufferAndCrossesMappingBoundaries() {
    Path model = TIED_BF16.resolve("model.safetensors");
    String name = "model.embed_tokens.weight";
    float[] whole;
    try (SafetensorsFile file = SafetensorsFile.open(model)) {
      whole = file.readFloats(name);
    }
    // 24 bytes per mapping: many pieces, each ending mid-row
    try (SafetensorsFile file = SafetensorsFile.open(model, 24)) {
      FloatBuffer direct = ByteBuffer.allocateDirect(whole.length * 4 + 8).order(ByteOrder.nativeOrder()).asFloatBuffer();
      direct.put(7f);
      file.readFloats(name, direct);
      assertEquals(whole.length + 1, direct.position());
      float[] copy = new float[whole.length];
      direct.position(1);
      direct.get(copy);
      assertArrayEquals(whole, copy);
      assertThrows(IllegalArgumentException.class, () -> file.readFloats(name, FloatBuffer.allocate(10)));
    }
  }

  @Test
  void readsARangeOfElementsForStreaming() {
    String name = "model.layers.1.mlp.down_proj.weight";
    for (Path model : List.of(TIED_BF16, UNTIED_F32)) {
      try (SafetensorsFile file = SafetensorsFile.open(model.resolve("model.safetensors"))) {
        float[] whole = file.readFloats(name);
        float[] pieces = new float[whole.length];
        // an odd chunk size, so pieces start and end mid-row
        for (int start = 0; start < whole.length; start += 1000) {
          int count = Math.min(1000, whole.length - start);
          file.readFloats(name, start, count, FloatBuffer.wrap(pieces, start, count));
        }
        assertArrayEquals(whole, pieces);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> file.readFloats(name, whole.length - 1, 2, FloatBuffer.allocate(2)));
        assertTrue(e.getMessage().contains("lie outside tensor"), e.getMessage());
      }
    }
  }

  @Test
  void decodesFloat16BitPatterns() throws IOException {
    short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x7C00, (short) 0xFC00, 0x7E00,
        (short) 0x8000, 0x3555, (short) 0x8001};
    float[] expected = {1f, -2f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.NaN, -0f, 0.333251953125f, -0x1p-24f};
    ByteBuffer data = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short b : bits) {
      data.putShort(b);
    }
    Path file = raw(dir.resolve("f16.safetensors"),
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[3,4],\"data_offsets\":[0,24]}}", data.array());
    try (SafetensorsFile opened = SafetensorsFile.open(file)) {
      float[] values = opened.readFloats("h");
      for (int i = 0; i < bits.length; i++) {
        assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(values[i]),
            "0x" + Integer.toHexString(bits[i] & 0xffff) + " -> " + values[i]);
      }
    }
    // every other half against the IEEE 754 formula
    for (int h = 0; h < 0x10000; h++) {
      float value = HalfPrecision.f16ToFloat((short) h);
      int exponent = (h >>> 10) & 0x1f;
      if (exponent == 0x1f && (h & 0x3ff) != 0) {
        assertTrue(Float.isNaN(value));
      } else if (exponent == 0) {
        float magnitude = (h & 0x3ff) * 0x1p-24f;
        assertEquals((h & 0x8000) != 0 ? -magnitude : magnitude, value);
      } else if (exponent != 0x1f) {
        double magnitude = (1 + (h & 0x3ff) / 1024.0) * Math.pow(2, exponent - 15);
        assertEquals((h & 0x8000) != 0 ? -magnitude : magnitude, value, 0.0);
      }
    }
  }

  @Test
  void otherDtypesAreNamedWhenRead() throws IOException {
    Path file = raw(dir.resolve("ids.safetensors"),
        "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
    try (SafetensorsFile opened = SafetensorsFile.open(file)) {
      assertEquals(List.of(2L), opened.info("ids").shape());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opened.readFloats("ids"));
      assertTrue(e.getMessage().contains("'ids' has dtype I64"), e.getMessage());
    }
    Path unknown = raw(dir.resolve("q4.safetensors"),
        "{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[2],\"data_offsets\":[0,1]}}", new byte[1]);
    assertMessage(unknown, "tensor 'w': unknown safetensors dtype 'Q4_K'");
  }

  @Test
  void aTruncatedFileNamesTheFileAndTheTensor() throws IOException {
    Path copy = dir.resolve("model.safetensors");
    Files.copy(TIED_BF16.resolve("model.safetensors"), copy);
    truncate(copy, Files.size(copy) - 100);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(copy));
    assertTrue(e.getMessage().startsWith(copy.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated: tensor 'model.norm.weight'"), e.getMessage());

    truncate(copy, 500);
    assertMessage(copy, "is truncated: the header needs 2504 bytes, the file has 500");
  }

  @Test
  void aFileThatShrinksAfterOpeningIsAnErrorNotACrash() throws IOException {
    Path copy = dir.resolve("model.safetensors");
    Files.copy(TIED_BF16.resolve("model.safetensors"), copy);
    try (SafetensorsFile opened = SafetensorsFile.open(copy)) {
      truncate(copy, 3000);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> opened.readFloats("model.norm.weight"));
      assertTrue(e.getMessage().contains("truncated: tensor 'model.norm.weight'"), e.getMessage());
    }
  }

  @Test
  void badHeadersAreExplained() throws IOException {
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertMessage(file, "too short");

    ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
    Files.write(file, huge.array());
    assertMessage(file, "header length 1099511627776 is implausible");

    raw(file, "[1, 2, 3]", new byte[0]);
    assertMessage(file, "header does not start with '{'");
    raw(file, "{\"a\": ", new byte[0]);
    assertMessage(file, "header is not valid JSON");
    raw(file, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[24]);
    assertMessage(file, "tensor 'w': data_offsets [0, 20] span 20 bytes, but F32 [2, 3] needs 24");
    raw(file, "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]);
    assertMessage(file, "tensor 'w': 'shape' must hold non-negative integers");
    raw(file, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8]);
    assertMessage(file, "'data_offsets' must be [begin, end] with begin <= end");
    raw(file, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
    assertMessage(file, "tensors 'a' and 'b' overlap");
    raw(file, "{\"__metadata__\":{\"format\":1}}", new byte[0]);
    assertMessage(file, "__metadata__ value for 'format' is not a string");

    UncheckedIOException missing = assertThrows(UncheckedIOException.class,
        () -> SafetensorsFile.open(dir.resolve("absent.safetensors")));
    assertTrue(missing.getMessage().contains("absent.safetensors"), missing.getMessage());
  }

  static void assertMessage(Path file, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  /** A file with exactly this header text and data, unpadded, to test what the writer never produces. */
  static Path raw(Path file, String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(json.length).put(json).put(data);
    return Files.write(file, bytes.array());
  }

  static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
    }
  }
}
