package net.b4mad.successor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SftTrainingTest {

  @TempDir static Path shared;
  static Path model;
  static Path data;

  @BeforeAll
  static void writeModel() {
    model = TinyChatModel.write(shared.resolve("model"));
    data = TinyChatModel.examples(shared.resolve("data/train.jsonl"), 8);
  }

  @Test
  void overfitsEightExamplesUntilTheLossIsNearZero(@TempDir Path runs) {
    TrainingConfig config = TrainingConfigs.of(
        "model", model.toString(), "dataset", data.toString(), "rank", 16, "lr", 1e-2, "max_steps", 120,
        "batch_size", 8, "grad_accum", 1, "dropout", 0.0, "warmup_ratio", 0.0, "scheduler", "constant",
        "logging_steps", 10, "save_steps", 1000, "eval_steps", 1000);
    TrainingRun.Result result = TrainingRun.start(config, runs.resolve("run"), () -> false, System.err::println);

    List<JsonNode> metrics = RunDirectory.open(runs.resolve("run")).metrics();
    double first = metrics.get(0).get("loss").asDouble();
    double last = metrics.get(metrics.size() - 1).get("loss").asDouble();
    assertEquals("completed", result.status());
    assertTrue(first > 3, "a random model starts far from the data: " + first);
    assertTrue(last < 0.05, "eight examples are memorised: loss " + last + " after 120 steps; " + Json.write(metrics));
  }

  /**
   * QLoRA: the same recipe on an NF4 base, here with the LM head trained in full beside the adapter
   * (modules_to_save); the loss falls, the stored bits are reported, the head is saved under PEFT's key.
   */
  @Test
  void qloraTrainsOnAnNf4Base(@TempDir Path runs) {
    TrainingConfig config = TrainingConfigs.of(
        "model", model.toString(), "dataset", data.toString(), "qlora", true, "rank", 8, "lr", 1e-2, "max_steps", 20,
        "batch_size", 8, "grad_accum", 1, "warmup_ratio", 0.0, "logging_steps", 5, "save_steps", 1000,
        "modules_to_save", List.of("lm_head"));
    TrainingRun.Result result = TrainingRun.start(config, runs.resolve("qlora"), () -> false, line -> {});

    List<JsonNode> metrics = RunDirectory.open(runs.resolve("qlora")).metrics();
    double first = metrics.get(0).get("loss").asDouble();
    double last = metrics.get(metrics.size() - 1).get("loss").asDouble();
    assertTrue(last < first / 2, "loss " + first + " -> " + last);
    // 4.127 for large tensors; these 64-wide ones also pay for a partly used block of 256 absmax constants
    double bits = (double) result.model().get("nf4_bits_per_weight");
    assertTrue(bits > 4.12 && bits < 4.15, "bits per base weight " + bits);
    try (var adapter = net.b4mad.successor.safetensors.SafetensorsFile.open(
        runs.resolve("qlora/adapter/adapter_model.safetensors"))) {
      assertTrue(adapter.contains("base_model.model.lm_head.weight"), adapter.names().toString());
    }
  }

  @Test
  void aRunStoppedAndResumedEndsWithTheAdapterOfAnUninterruptedRun(@TempDir Path runs) {
    Object[] settings = {
      "model", model.toString(), "dataset", data.toString(), "rank", 4, "lr", 5e-3, "max_steps", 6,
      "batch_size", 2, "grad_accum", 2, "dropout", 0.1, "warmup_ratio", 0.2, "save_steps", 3, "eval_steps", 1000,
      "logging_steps", 1};
    TrainingRun.start(TrainingConfigs.of(settings), runs.resolve("straight"), () -> false, line -> {});

    int[] polls = {0};
    TrainingRun.Result stopped =
        TrainingRun.start(TrainingConfigs.of(settings), runs.resolve("interrupted"), () -> ++polls[0] > 4, line -> {});
    assertEquals("stopped", stopped.status());
    assertEquals(4, stopped.step());
    assertEquals(List.of(3, 4), RunDirectory.open(runs.resolve("interrupted")).checkpointSteps());
    TrainingRun.Result resumed = TrainingRun.resume(runs.resolve("interrupted"), () -> false, line -> {});

    assertEquals("completed", resumed.status());
    assertAdaptersEqual(runs.resolve("straight/adapter"), runs.resolve("interrupted/adapter"), 5e-3);
    List<JsonNode> straight = RunDirectory.open(runs.resolve("straight")).metrics();
    List<JsonNode> interrupted = RunDirectory.open(runs.resolve("interrupted")).metrics();
    assertEquals(straight.size(), interrupted.size(), "one metrics line per step, none repeated");
    for (int i = 0; i < straight.size(); i++) {
      assertEquals(straight.get(i).get("loss").asDouble(), interrupted.get(i).get("loss").asDouble(), 1e-5);
    }
  }

  /**
   * Equal adapters: bit for bit as a rule. Adam's first steps move each weight by about lr whatever the size of its
   * gradient, so a weight whose gradient is all but zero can take a different sign when the last bits of a matrix
   * product differ (BLAS kernels vary with memory alignment and threads): a few such weights may differ by up to a
   * few lr, while the mean difference stays at float noise. A resume that lost the optimizer state, the data
   * position or the dropout stream moves most weights by lr-sized amounts and fails the mean.
   */
  static void assertAdaptersEqual(Path expected, Path actual, double lr) {
    try (var a = net.b4mad.successor.safetensors.SafetensorsFile.open(expected.resolve("adapter_model.safetensors"));
        var b = net.b4mad.successor.safetensors.SafetensorsFile.open(actual.resolve("adapter_model.safetensors"))) {
      assertEquals(a.names(), b.names());
      double maxDifference = 0;
      double sumDifference = 0;
      long count = 0;
      boolean changed = false;
      for (String name : a.names()) {
        float[] x = a.readFloats(name);
        float[] y = b.readFloats(name);
        for (int i = 0; i < x.length; i++) {
          double difference = Math.abs(x[i] - y[i]);
          maxDifference = Math.max(maxDifference, difference);
          sumDifference += difference;
          count++;
          changed |= name.contains("lora_B") && x[i] != 0;
        }
      }
      double meanDifference = sumDifference / count;
      assertTrue(changed, "training moved B away from zero");
      assertTrue(meanDifference < 1e-5 && maxDifference < 4 * lr,
          "adapters differ: mean " + meanDifference + ", max " + maxDifference);
    }
  }

}
