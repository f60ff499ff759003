package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code successor model merge} from the built jar: the merged model scores as base + adapter does. */
class ModelMergeIT {

  private static final String TOKENS = "3,17,256,999,42,7,511";

  @TempDir Path dir;

  @Test
  void aMergedModelScoresAsItsBaseWithTheAdapter() throws Exception {
    Path base = dir.resolve("base");
    JarRun init = JarRun.of("model", "init", "--out", base.toString(), "--seed", "4", "--tokenizer",
        JarRun.fixtures("qwen3-tokenizer-8k").toString());
    assertEquals(0, init.exitCode(), init.stderr());
    Path adapter = writeAdapter(dir.resolve("adapter"), base, new LoraConfig(4, 8, 0, List.of("q_proj", "down_proj"), false, "base"));
    Path merged = dir.resolve("merged");

    JarRun merge = JarRun.of("model", "merge", "--model", base.toString(), "--adapter", adapter.toString(),
        "--out", merged.toString(), "--dtype", "f32");

    assertEquals(0, merge.exitCode(), merge.stderr());
    JsonNode report = Json.MAPPER.readTree(merge.stdout());
    assertEquals("F32", report.path("dtype").asString());
    assertEquals(4, report.path("merged_modules").asInt(), merge.stdout());
    assertTrue(Files.isRegularFile(merged.resolve("tokenizer.json")));
    JsonNode folded = logprobs(JarRun.of("model", "score", "--model", merged.toString(), "--token-ids", TOKENS));
    JsonNode withAdapter = logprobs(
        JarRun.of("model", "score", "--model", base.toString(), "--adapter", adapter.toString(), "--token-ids", TOKENS));
    JsonNode plain = logprobs(JarRun.of("model", "score", "--model", base.toString(), "--token-ids", TOKENS));
    double changed = 0;
    for (int t = 0; t < folded.size(); t++) {
      assertEquals(withAdapter.get(t).asDouble(), folded.get(t).asDouble(), 1e-4, "position " + t);
      changed = Math.max(changed, Math.abs(folded.get(t).asDouble() - plain.get(t).asDouble()));
    }
    assertTrue(changed > 1e-3, "the adapter should change the scores, changed at most " + changed);

    JarRun again = JarRun.of("model", "merge", "--model", base.toString(), "--adapter", adapter.toString(),
        "--out", merged.toString());
    assertEquals(2, again.exitCode());
    assertTrue(again.stderr().contains("is not empty"), again.stderr());
  }

  private static JsonNode logprobs(JarRun run) throws Exception {
    assertEquals(0, run.exitCode(), run.stderr());
    return Json.MAPPER.readTree(run.stdout()).path("logprobs");
  }

  /** Random A and B for the targets of every layer, as PEFT saves them. */
  private static Path writeAdapter(Path adapter, Path model, LoraConfig config) throws Exception {
    Qwen3Config modelConfig = Qwen3Config.read(model.resolve("config.json"));
    Map<String, List<Long>> shapes = Qwen3Layout.tensorShapes(modelConfig);
    Random random = new Random(9);
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    for (int layer = 0; layer < modelConfig.numHiddenLayers(); layer++) {
      for (String target : config.targetModules()) {
        String module = "model.layers." + layer + (target.equals("down_proj") ? ".mlp." : ".self_attn.") + target;
        List<Long> shape = shapes.get(module + ".weight");
        tensors.add(random(LoraConfig.tensorKey(module, "lora_A"), random, config.r(), shape.get(1)));
        tensors.add(random(LoraConfig.tensorKey(module, "lora_B"), random, shape.get(0), config.r()));
      }
    }
    Files.createDirectories(adapter);
    Files.writeString(adapter.resolve(LoraConfig.FILE), Json.writePretty(config.toJson()));
    SafetensorsWriter.writeFile(adapter.resolve("adapter_model.safetensors"), tensors, SafetensorsWriter.PT_METADATA);
    return adapter;
  }

  private static SafetensorsWriter.Tensor random(String name, Random random, long rows, long columns) {
    float[] values = new float[(int) (rows * columns)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.1f;
    }
    return SafetensorsWriter.Tensor.of(name, Dtype.F32, values, rows, columns);
  }
}
