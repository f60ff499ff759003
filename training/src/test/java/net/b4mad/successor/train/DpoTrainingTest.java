package net.b4mad.successor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.dpo.PreferencePair;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DpoTrainingTest {

  @TempDir static Path shared;
  static Path model;
  static Path pairs;

  /** Chosen: the right tool call; rejected: a refusal. */
  @BeforeAll
  static void prepare() throws IOException {
    model = TinyChatModel.write(shared.resolve("model"));
    String[] cities = {"Berlin", "Paris", "Rome", "Oslo", "Madrid", "Vienna"};
    List<String> lines = new ArrayList<>();
    for (String city : cities) {
      lines.add(Json.write(Map.of(
          "id", city,
          "tools", List.of(Map.of("type", "function", "function", Map.of("name", "get_weather",
              "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))))),
          "prompt", List.of(Map.of("role", "user", "content", "Weather in " + city + "?")),
          "chosen", List.of(Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of(
              "type", "function", "function", Map.of("name", "get_weather", "arguments", Map.of("city", city)))))),
          "rejected", Map.of("role", "assistant", "content", "I cannot look that up."))));
    }
    pairs = shared.resolve("pairs.jsonl");
    Files.write(pairs, lines);
  }

  @Test
  void theLossStartsAtLn2AndTheRewardAccuracyRises(@TempDir Path runs) {
    TrainingConfig config = TrainingConfigs.of(
        "method", "dpo", "model", model.toString(), "dataset", pairs.toString(), "rank", 8, "lr", 5e-3,
        "max_steps", 15, "batch_size", 3, "grad_accum", 1, "warmup_ratio", 0.0, "logging_steps", 1,
        "save_steps", 1000, "eval_steps", 1000, "beta", 0.1);
    TrainingRun.Result result = TrainingRun.start(config, runs.resolve("dpo"), () -> false, line -> {});

    List<JsonNode> metrics = RunDirectory.open(runs.resolve("dpo")).metrics();
    assertEquals("completed", result.status());
    assertEquals(Math.log(2), metrics.get(0).get("loss").asDouble(), 1e-5, "policy = reference at step 0");
    assertEquals(0.0, metrics.get(0).get("rewards/margins").asDouble(), 1e-4);
    JsonNode last = metrics.get(metrics.size() - 1);
    assertEquals(1.0, last.get("rewards/accuracies").asDouble(), "every chosen answer now scores higher");
    assertTrue(last.get("rewards/margins").asDouble() > 0.5, last.toString());
    assertTrue(last.get("loss").asDouble() < 0.5, last.toString());
    assertTrue(Files.isRegularFile(runs.resolve("dpo/reference_logps.json")));
  }

  @Test
  void ipoStartsAtItsOwnMinimumDistance(@TempDir Path runs) {
    TrainingConfig config = TrainingConfigs.of(
        "method", "dpo", "loss_type", "ipo", "model", model.toString(), "dataset", pairs.toString(),
        "max_steps", 1, "batch_size", 6, "grad_accum", 1, "beta", 0.1);
    TrainingRun.start(config, runs.resolve("ipo"), () -> false, line -> {});
    // d = 0 at step 0, so the loss is (0 - 1/(2 beta))^2 = 25
    assertEquals(25.0, RunDirectory.open(runs.resolve("ipo")).metrics().get(0).get("loss").asDouble(), 1e-3);
  }

  /** A common bug elsewhere drops tool calls from DPO data: here they are what the chosen answer is scored on. */
  @Test
  void toolCallsOfTheAnswersAreScored() throws IOException {
    JsonNode record = Json.MAPPER.readTree(Files.readAllLines(pairs).get(0));
    PreferencePair pair = PreferencePair.parse(record, "pairs.jsonl:1");
    try (Qwen3Tokenizer tokenizer = Qwen3Tokenizer.load(model)) {
      TrainingSequence chosen = pair.encode(new ChatEncoder(tokenizer, false))[0];
      int[] scored = java.util.stream.IntStream.range(0, chosen.length())
          .filter(t -> chosen.trained()[t]).map(t -> chosen.tokens()[t]).toArray();
      String text = tokenizer.decode(scored);
      assertTrue(text.contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Berlin\"}}\n</tool_call>"),
          text);
    }
  }
}
