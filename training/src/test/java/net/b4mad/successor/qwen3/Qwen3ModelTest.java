package net.b4mad.successor.qwen3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class Qwen3ModelTest {

  @TempDir Path tmp;

  private static Path fixture(String name) {
    return SharedFixtures.resolve("qwen3-tiny/" + name);
  }

  /** The fixtures' log-probabilities come from an independent float64 implementation of the forward pass. */
  @ParameterizedTest
  @ValueSource(strings = {"tied-bf16", "untied-f32"})
  void scoresMatchTheReferenceImplementation(String name) throws Exception {
    JsonNode expected = Json.MAPPER.readTree(Files.readString(fixture(name).resolve("expected_logprobs.json")));
    int[] tokens = new int[expected.path("token_ids").size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = expected.path("token_ids").get(i).asInt();
    }
    try (Qwen3Model model = Qwen3Model.load(fixture(name))) {
      double[] logprobs = model.score(tokens);
      assertEquals(tokens.length - 1, logprobs.length);
      for (int t = 0; t < logprobs.length; t++) {
        double want = expected.path("logprobs").get(t).asDouble();
        assertEquals(want, logprobs[t], 1e-4, name + " position " + t);
      }
    }
  }

  @Test
  void paddedBatchesGiveTheSameLogitsAsSingleSequences() {
    int[] a = {3, 17, 256, 999, 42, 7};
    int[] b = {511, 128, 64};
    try (Qwen3Model model = Qwen3Model.load(fixture("untied-f32"));
        NDManager step = model.manager().newSubManager()) {
      float[][] aAlone = rows(model.forward(step, new int[][] {a}, null, null), 0, 0, a.length);
      float[][] bAlone = rows(model.forward(step, new int[][] {b}, null, null), 0, 0, b.length);

      int[][] right = {a, {511, 128, 64, 0, 0, 0}};
      int[][] rightMask = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}};
      NDArray rightLogits = model.forward(step, right, rightMask, null);
      assertClose(aAlone, rows(rightLogits, 0, 0, a.length));
      assertClose(bAlone, rows(rightLogits, 1, 0, b.length));

      int[][] left = {a, {0, 0, 0, 511, 128, 64}};
      int[][] leftMask = {{1, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1}};
      NDArray leftLogits = model.forward(step, left, leftMask, null);
      assertClose(bAlone, rows(leftLogits, 1, 3, b.length));
      assertTrue(Float.isFinite(leftLogits.sum().getFloat()), "padding must not produce NaN anywhere");
    }
  }

  @Test
  void theKvCacheGivesTheSameLogitsAsTheFullSequence() {
    int[] tokens = {3, 17, 256, 999, 42, 42, 7, 511};
    try (Qwen3Model model = Qwen3Model.load(fixture("tied-bf16"));
        NDManager step = model.manager().newSubManager();
        KvCache cache = model.newCache()) {
      float[][] full = rows(model.forward(step, new int[][] {tokens}, null, null), 0, 0, tokens.length);
      float[][] first = rows(model.forward(step, new int[][] {{3, 17, 256, 999, 42}}, null, cache), 0, 0, 5);
      float[][] second = rows(model.forward(step, new int[][] {{42, 7, 511}}, null, cache), 0, 0, 3);
      assertEquals(8, cache.length());
      for (int t = 0; t < 5; t++) {
        assertClose(new float[][] {full[t]}, new float[][] {first[t]});
      }
      for (int t = 0; t < 3; t++) {
        assertClose(new float[][] {full[5 + t]}, new float[][] {second[t]});
      }
    }
  }

  @Test
  void tokenIdsOutsideTheVocabularyAreRefused() {
    try (Qwen3Model model = Qwen3Model.load(fixture("tied-bf16"))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.score(new int[] {1, 1024}));
      assertTrue(e.getMessage().contains("outside the model's vocabulary"), e.getMessage());
    }
  }

  @Test
  void unsupportedConfigsAreRefusedByName() throws Exception {
    String base = Files.readString(fixture("tied-bf16").resolve("config.json"));
    List<String[]> cases =
        List.of(
            new String[] {base.replace("\"qwen3\"", "\"qwen3_moe\""), "not supported yet"},
            new String[] {base.replace("\"qwen3\"", "\"llama\""), "only dense Qwen3"},
            new String[] {
              base.replace("\"attention_bias\": false", "\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0}"),
              "rope_scaling"
            });
    for (String[] c : cases) {
      Path dir = Files.createTempDirectory(tmp, "model");
      Files.writeString(dir.resolve("config.json"), c[0]);
      Files.copy(fixture("tied-bf16").resolve("model.safetensors"), dir.resolve("model.safetensors"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Qwen3Model.load(dir));
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void aCheckpointThatDoesNotMatchTheConfigIsRefused() throws Exception {
    String config = Files.readString(fixture("tied-bf16").resolve("config.json")).replace("\"intermediate_size\": 128", "\"intermediate_size\": 96");
    Files.writeString(tmp.resolve("config.json"), config);
    Files.copy(fixture("tied-bf16").resolve("model.safetensors"), tmp.resolve("model.safetensors"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Qwen3Model.load(tmp));
    assertTrue(e.getMessage().contains("config.json implies"), e.getMessage());
  }

  private static float[][] rows(NDArray logits, int batch, int from, int count) {
    float[][] out = new float[count][];
    for (int t = 0; t < count; t++) {
      out[t] = logits.get(batch, from + t).toFloatArray();
    }
    return out;
  }

  private static void assertClose(float[][] expected, float[][] actual) {
    assertEquals(expected.length, actual.length);
    for (int t = 0; t < expected.length; t++) {
      for (int v = 0; v < expected[t].length; v++) {
        assertEquals(expected[t][v], actual[t][v], 2e-4, "position " + t + " vocab " + v);
      }
    }
  }
}
