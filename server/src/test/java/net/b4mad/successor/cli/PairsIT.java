package net.b4mad.successor.cli;

import static net.b4mad.successor.cli.ServerProcess.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preference pairs through MCP against the built jar: a pairs job on the worker, then DPO on its dataset version. */
class PairsIT {

  @TempDir Path dir;

  private static Map<?, ?> finished(McpSyncClient client, Object jobId) {
    Map<?, ?> done = call(client, "job_wait", Map.of("job_id", jobId, "timeout_s", 300));
    assertEquals("succeeded", done.get("state"), done.toString());
    return done;
  }

  @Test
  void pairsFromAModelsOwnAnswersTrainWithDpo() throws Exception {
    Path model = dir.resolve("tiny");
    JarRun init = JarRun.of("model", "init", "--out", model.toString(), "--seed", "5", "--tokenizer",
        JarRun.fixtures("qwen3-tokenizer-8k").toString());
    assertEquals(0, init.exitCode(), init.stderr());
    List<String> examples = new ArrayList<>();
    for (String city : List.of("Berlin", "Oslo", "Rome")) {
      examples.add(Json.write(Map.of("id", city.toLowerCase(), "tools", List.of(Map.of("type", "function",
              "function", Map.of("name", "get_weather", "parameters", Map.of("type", "object",
                  "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))))),
          "messages", List.of(Map.of("role", "user", "content", "Weather in " + city + "?"),
              Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("type", "function",
                  "function", Map.of("name", "get_weather", "arguments", Map.of("city", city)))))))));
    }
    Path prompts = Files.write(dir.resolve("weather.jsonl"), examples);
    McpSyncClient client = ServerProcess.sdkClient("--workspace", dir.resolve("ws").toString(), "--allow-dir", dir.toString());
    try {
      Map<?, ?> queued = call(client, "preference_pairs_build", Map.of("model", model.toString(),
          "dataset", prompts.toString(), "samples", 2, "max_new_tokens", 8, "use_gold_when_none_pass", true));
      assertEquals("weather-pairs", queued.get("dataset"));
      assertEquals(3, ((Number) queued.get("prompts")).intValue());

      Map<?, ?> pairs = finished(client, queued.get("job_id"));
      Map<?, ?> result = (Map<?, ?>) pairs.get("result");
      assertEquals(3, ((Number) result.get("prompts_with_pair")).intValue(),
          "a random model never calls get_weather right, so each prompt pairs its gold answer: " + result);
      assertTrue(result.get("summary").toString().startsWith("3 of 3 prompts yielded a pair"), result.toString());
      Map<?, ?> bead = call(client, "bead_show", Map.of("id", pairs.get("bead_id")));
      assertEquals("closed", bead.get("status"));
      assertTrue(bead.get("close_reason").toString().contains("3 of 3 prompts yielded a pair"), bead.toString());
      List<?> datasets = (List<?>) call(client, "dataset_list", Map.of("name", "weather-pairs")).get("datasets");
      assertEquals(1, datasets.size(), datasets.toString());

      Map<?, ?> dpo = call(client, "train_dpo", Map.of("model", model.toString(), "dataset", "weather-pairs",
          "rank", 4, "max_steps", 2, "batch_size", 3, "grad_accum", 1, "logging_steps", 1));
      Map<?, ?> trained = finished(client, dpo.get("job_id"));
      assertEquals(2, ((Number) trained.get("step")).intValue(), trained.toString());
      assertTrue(Files.isRegularFile(Path.of(trained.get("run_dir").toString()).resolve("adapter/adapter_model.safetensors")));
    } finally {
      client.closeGracefully();
    }
  }
}
