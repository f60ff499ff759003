package net.b4mad.successor.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.safetensors.SafetensorsWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SafetensorsWriterTest {

  @TempDir Path dir;

  @Test
  void f32RoundTripsBitForBit() {
    float[] values = {0f, -0f, 1f, -1.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, Float.NaN,
        0.1f, 3.14159f, -1e-40f, 1234567.9f};
    Path file = dir.resolve("f32.safetensors");
    SafetensorsWriter.writeFile(file, List.of(Tensor.of("w", Dtype.F32, values, 3, 4)), Map.of());
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertEquals(List.of(3L, 4L), read.info("w").shape());
      assertEquals(Map.of(), read.metadata());
      float[] back = read.readFloats("w");
      for (int i = 0; i < values.length; i++) {
        assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "index " + i);
      }
    }
  }

  @Test
  void bf16KeepsRepresentableValuesExactly() {
    Random random = new Random(1);
    float[] values = new float[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Float.intBitsToFloat(random.nextInt() & 0xffff0000);
    }
    values[0] = Float.POSITIVE_INFINITY;
    values[1] = -0f;
    assertArrayEquals(values, roundTripBf16(values));
  }

  @Test
  void bf16RoundsToNearestWithTiesToEven() {
    float one = 1f;
    float ulp = 0x1p-7f; // bfloat16 spacing above 1
    float[] values = {
      one + ulp / 2, // tie, 1.0 is even: down
      one + 3 * ulp / 2, // tie between 1+ulp (odd) and 1+2ulp (even): up
      one + ulp / 2 + 0x1p-20f, // above the tie: up
      one + ulp / 2 - 0x1p-20f, // below the tie: down
      -(one + 3 * ulp / 2), // ties are symmetric
      Float.MAX_VALUE, // past the largest bfloat16: infinity, as PyTorch gives
      Float.MIN_VALUE, // the smallest subnormal rounds to zero
      0.1f,
    };
    float[] expected = {one, one + 2 * ulp, one + ulp, one, -(one + 2 * ulp), Float.POSITIVE_INFINITY, 0f,
        0.10009765625f};
    assertArrayEquals(expected, roundTripBf16(values));
    // the bit patterns, worked out by hand: 0x3f80 is 1.0; 0.1f is 0x3dcccccd, whose low half rounds up
    assertEquals((short) 0x3f80, HalfPrecision.floatToBf16(one + ulp / 2));
    assertEquals((short) 0x3dcd, HalfPrecision.floatToBf16(0.1f));
  }

  @Test
  void bf16KeepsNaNsNaN() {
    // a NaN whose payload sits only in the low bits would truncate to the infinity pattern
    float lowPayloadNaN = Float.intBitsToFloat(0x7f800001);
    float negativeNaN = Float.intBitsToFloat(0xffc00000);
    float[] back = roundTripBf16(new float[] {Float.NaN, lowPayloadNaN, negativeNaN});
    for (float value : back) {
      assertTrue(Float.isNaN(value), "got " + value);
    }
    assertTrue(Float.floatToRawIntBits(back[2]) < 0, "sign kept");
  }

  private float[] roundTripBf16(float[] values) {
    Path file = dir.resolve("bf16.safetensors");
    SafetensorsWriter.writeFile(file, List.of(Tensor.of("w", Dtype.BF16, values, values.length)), Map.of());
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertEquals(Dtype.BF16, read.info("w").dtype());
      return read.readFloats("w");
    }
  }

  @Test
  void headerIsPaddedOrderedAndContiguous() throws IOException {
    Path file = dir.resolve("mixed.safetensors");
    List<Tensor> tensors = List.of(
        Tensor.of("b.bf16", Dtype.BF16, new float[3], 3),
        Tensor.of("z.f32", Dtype.F32, new float[2], 2, 1),
        Tensor.of("a.bf16", Dtype.BF16, new float[1], 1),
        Tensor.of("a.f32", Dtype.F32, new float[0], 0),
        Tensor.of("scalar", Dtype.F32, new float[] {5f}));
    SafetensorsWriter.writeFile(file, tensors, SafetensorsWriter.PT_METADATA);

    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8);
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"a.f32\":{\"dtype\":\"F32\",\"shape\":[0],"
        + "\"data_offsets\":[0,0]}"), header);
    assertTrue(header.endsWith("}") || header.endsWith(" "), header);
    assertEquals(header.strip(), header.stripLeading());

    JsonNode root = Json.MAPPER.readTree(header);
    List<String> names = new ArrayList<>();
    root.properties().forEach(entry -> names.add(entry.getKey()));
    // widest dtype first, then by name: the reference library's order
    assertEquals(List.of("__metadata__", "a.f32", "scalar", "z.f32", "a.bf16", "b.bf16"), names);
    long offset = 0;
    for (String name : names.subList(1, names.size())) {
      JsonNode offsets = root.get(name).get("data_offsets");
      assertEquals(offset, offsets.get(0).asLong(), name);
      offset = offsets.get(1).asLong();
    }
    assertEquals(bytes.length, 8 + headerLength + offset);
    assertEquals(0, root.get("scalar").get("shape").size());
    try (SafetensorsFile read = SafetensorsFile.open(file)) {
      assertArrayEquals(new float[] {5f}, read.readFloats("scalar"));
      assertArrayEquals(new float[0], read.readFloats("a.f32"));
    }
  }

  @Test
  void rewritingTheFixturesGivesTheirExactData() throws IOException {
    for (Path model : List.of(SafetensorsFileTest.TIED_BF16, SafetensorsFileTest.UNTIED_F32)) {
      Path original = model.resolve("model.safetensors");
      Path copy = dir.resolve(model.getFileName() + ".safetensors");
      try (SafetensorsFile read = SafetensorsFile.open(original)) {
        List<Tensor> tensors = new ArrayList<>();
        for (String name : read.names()) {
          TensorInfo info = read.info(name);
          tensors.add(Tensor.of(name, info.dtype(), read.readFloats(name), info.shapeArray()));
        }
        SafetensorsWriter.writeFile(copy, tensors, SafetensorsWriter.PT_METADATA);
      }
      assertArrayEquals(dataSection(original), dataSection(copy), model.toString());
    }
  }

  private static byte[] dataSection(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return Arrays.copyOfRange(bytes, (int) (8 + headerLength), bytes.length);
  }

  @Test
  void writesShardsAndAnIndexThatReadBack() throws IOException {
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tensors.add(Tensor.of("layer." + i + ".weight", Dtype.F32, ramp(i, 25), 5, 5)); // 100 bytes each
    }
    tensors.add(Tensor.of("big", Dtype.BF16, ramp(0, 200), 200)); // 400 bytes, alone in its shard; values exact in bfloat16
    List<Path> written = SafetensorsWriter.writeCheckpoint(dir, tensors, 250);

    // F32 sorts before BF16: two 100-byte tensors fit a 250-byte shard, then "big" gets its own
    List<String> names = written.stream().map(path -> path.getFileName().toString()).toList();
    assertEquals(List.of("model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
        "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors", "model.safetensors.index.json"), names);
    JsonNode index = Json.MAPPER.readTree(Files.readString(dir.resolve("model.safetensors.index.json")));
    assertEquals(5 * 100 + 400, index.path("metadata").path("total_size").asLong());
    assertEquals("model-00004-of-00004.safetensors", index.path("weight_map").path("big").asString());
    assertEquals("model-00003-of-00004.safetensors", index.path("weight_map").path("layer.4.weight").asString());

    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
      assertEquals(6, checkpoint.names().size());
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(ramp(i, 25), checkpoint.floats("layer." + i + ".weight"));
        assertArrayEquals(new long[] {5, 5}, checkpoint.shape("layer." + i + ".weight"));
      }
      assertArrayEquals(ramp(0, 200), checkpoint.floats("big"));
    }
    assertNoTemporaryFiles();
  }

  @Test
  void aNewSaveRemovesTheWeightFilesOfTheOldOne() throws IOException {
    List<Tensor> tensors = List.of(Tensor.of("a", Dtype.F32, ramp(1, 4), 4), Tensor.of("b", Dtype.F32, ramp(2, 4), 4));
    Files.writeString(dir.resolve("config.json"), "{}");
    SafetensorsWriter.writeCheckpoint(dir, tensors, 16);
    assertEquals(List.of("config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
        "model.safetensors.index.json"), listing());
    SafetensorsWriter.writeCheckpoint(dir, tensors, 1000);
    assertEquals(List.of("config.json", "model.safetensors"), listing());
    SafetensorsWriter.writeCheckpoint(dir, tensors, 16);
    assertFalse(Files.exists(dir.resolve("model.safetensors")));
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir)) {
      assertArrayEquals(ramp(2, 4), checkpoint.floats("b"));
    }
  }

  @Test
  void aFailedWriteLeavesNeitherTargetNorTemporaryFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Tensor failing = new Tensor("w", Dtype.F32, List.of(4L), (start, chunk, count) -> {
      throw new IllegalStateException("source failed");
    });
    assertThrows(IllegalStateException.class, () -> SafetensorsWriter.writeFile(file, List.of(failing), Map.of()));
    assertEquals(List.of(), listing());

    // an existing file stays as it was
    SafetensorsWriter.writeFile(file, List.of(Tensor.of("w", Dtype.F32, ramp(0, 4), 4)), Map.of());
    byte[] before = Files.readAllBytes(file);
    assertThrows(IllegalStateException.class, () -> SafetensorsWriter.writeFile(file, List.of(failing), Map.of()));
    assertArrayEquals(before, Files.readAllBytes(file));
    assertNoTemporaryFiles();
  }

  @Test
  void refusesWhatItCannotWrite() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.of("w", Dtype.F16, new float[2], 2));
    assertTrue(e.getMessage().contains("can write F32 or BF16, not F16"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.of("w", Dtype.F32, new float[5], 2, 3));
    assertTrue(e.getMessage().contains("shape [2, 3] holds 6 values, got 5"), e.getMessage());
    List<Tensor> twice = List.of(Tensor.of("w", Dtype.F32, new float[1], 1), Tensor.of("w", Dtype.F32, new float[1], 1));
    e = assertThrows(IllegalArgumentException.class,
        () -> SafetensorsWriter.writeFile(dir.resolve("x.safetensors"), twice, Map.of()));
    assertTrue(e.getMessage().contains("'w' is given twice"), e.getMessage());
  }

  private static float[] ramp(int seed, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = seed * 1000 + i * 0.5f;
    }
    return values;
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  private void assertNoTemporaryFiles() throws IOException {
    assertTrue(listing().stream().noneMatch(name -> name.endsWith(".tmp")), listing().toString());
  }
}
