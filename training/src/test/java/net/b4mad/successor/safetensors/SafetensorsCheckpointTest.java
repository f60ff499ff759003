package net.b4mad.successor.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.safetensors.SafetensorsWriter.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {

  @TempDir Path dir;

  @Test
  void opensASingleFileModelDirectory() {
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(SafetensorsFileTest.UNTIED_F32)) {
      assertEquals(36, checkpoint.names().size());
      assertEquals("lm_head.weight", checkpoint.names().iterator().next());
      assertArrayEquals(new long[] {96, 48}, checkpoint.shape("model.layers.0.mlp.up_proj.weight"));
      assertEquals(Dtype.F32, checkpoint.info("model.norm.weight").dtype());
      assertEquals(-0.14581461250782013f, checkpoint.floats("lm_head.weight")[0]);
    }
  }

  @Test
  void anUnknownNameListsTheClosestOnes() {
    try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(SafetensorsFileTest.TIED_BF16)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> checkpoint.floats("model.layers.0.self_attn.q_proj.weights"));
      assertTrue(e.getMessage().startsWith("no tensor 'model.layers.0.self_attn.q_proj.weights' in the checkpoint at "),
          e.getMessage());
      assertTrue(e.getMessage().contains("closest names: model.layers.0.self_attn.q_proj.weight, "), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> checkpoint.shape("lm_head.weight"));
    }
  }

  @Test
  void aDirectoryWithoutWeightsIsExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsCheckpoint.open(dir));
    assertTrue(e.getMessage().contains("no model.safetensors or model.safetensors.index.json in " + dir), e.getMessage());
  }

  @Test
  void aMissingShardIsNamed() throws IOException {
    SafetensorsWriter.writeCheckpoint(dir, twoTensors(), 16);
    Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsCheckpoint.open(dir));
    assertTrue(e.getMessage().contains("maps 'b' to shard model-00002-of-00002.safetensors, which is missing"),
        e.getMessage());
  }

  @Test
  void aNameTheIndexListsButItsShardLacksIsNamed() throws IOException {
    SafetensorsWriter.writeCheckpoint(dir, twoTensors(), 16);
    Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
    Files.writeString(index, Files.readString(index)
        .replace("\"weight_map\" : {", "\"weight_map\" : {\"c\": \"model-00001-of-00002.safetensors\","));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsCheckpoint.open(dir));
    assertTrue(e.getMessage().contains("maps 'c' to model-00001-of-00002.safetensors, but that shard has no such tensor"),
        e.getMessage());
  }

  @Test
  void anIndexMayNotPointOutsideTheDirectory() throws IOException {
    Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE),
        "{\"weight_map\": {\"a\": \"../elsewhere/model.safetensors\"}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsCheckpoint.open(dir));
    assertTrue(e.getMessage().contains("../elsewhere/model.safetensors, which is missing"), e.getMessage());
  }

  private static List<Tensor> twoTensors() {
    List<Tensor> tensors = new ArrayList<>();
    tensors.add(Tensor.of("a", Dtype.F32, new float[] {1, 2, 3, 4}, 2, 2));
    tensors.add(Tensor.of("b", Dtype.F32, new float[] {5, 6, 7, 8}, 4));
    return tensors;
  }
}
