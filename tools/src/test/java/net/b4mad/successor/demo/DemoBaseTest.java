package net.b4mad.successor.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.qwen3.TokenizerFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoBaseTest {

  @TempDir Path dir;

  @Test
  void theBundledBaseIsTheRecipesShapeInBfloat16AndLoads() throws Exception {
    Path base = dir.resolve("base");
    long parameters = DemoBase.unpack(base);

    Qwen3Config config = Qwen3Config.read(base.resolve("config.json"));
    DemoBase.Recipe recipe = DemoBase.Recipe.BUNDLED;
    assertEquals(recipe.hidden(), config.hiddenSize());
    assertEquals(recipe.layers(), config.numHiddenLayers());
    assertEquals("bfloat16", config.torchDtype());
    assertFalse(config.tieWordEmbeddings(), "the warm-up trained the embedding and the head apart");
    assertTrue(Files.isRegularFile(base.resolve(TokenizerFiles.TOKENIZER_JSON)));
    try (Qwen3Model model = Qwen3Model.load(base)) {
      double[] scores = model.score(new int[] {12, 345, 678, 91});
      assertTrue(java.util.Arrays.stream(scores).allMatch(Double::isFinite));
    }
    assertTrue(parameters > 2_000_000 && parameters < 4_000_000, parameters + " parameters");
  }

  @Test
  void theRecipeTrainsEveryWeightFromRandomAndMergesToAPlainModel() throws Exception {
    Path out = dir.resolve("made");
    List<String> lines = new ArrayList<>();
    DemoBase.make(out, new DemoBase.Recipe(32, 1, 2, 1, 16, 64, 2, 2, 2, 2, 1e-3, 0.1, 3), lines::add);

    assertTrue(lines.get(0).contains("every weight trained"), lines.toString());
    assertTrue(Files.isRegularFile(dir.resolve("made-work/copying-run/adapter/adapter_model.safetensors")));
    assertEquals("bfloat16", Json.readTree(out.resolve("config.json")).get("torch_dtype").asString());
    assertFalse(Files.exists(out.resolve(TokenizerFiles.TOKENIZER_JSON)), "the jar carries the tokenizer once");
    assertTrue(Files.isRegularFile(dir.resolve("made-work/run/adapter/adapter_model.safetensors")));
    try (Qwen3Model model = Qwen3Model.load(out)) {
      assertEquals(32, model.config().hiddenSize());
    }
  }
}
