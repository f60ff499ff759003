package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code train sft} / {@code train dpo} from the built jar: run directory, adapter use, SIGTERM and resume. */
class TrainIT {

  @TempDir static Path dir;
  static Path model;
  static Path data;

  @BeforeAll
  static void prepare() throws Exception {
    model = dir.resolve("tiny");
    JarRun.tinyModel(model);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lines.add("{\"id\": \"e" + i + "\", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"bd_close\","
          + " \"parameters\": {\"type\": \"object\"}}}], \"messages\": [{\"role\": \"user\", \"content\": \"Close b4-" + i
          + "\"}, {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"type\": \"function\", \"function\":"
          + " {\"name\": \"bd_close\", \"arguments\": {\"id\": \"b4-" + i + "\"}}}]}]}");
    }
    data = dir.resolve("train.jsonl");
    Files.write(data, lines, StandardCharsets.UTF_8);
  }

  @Test
  void sftWritesARunDirectoryWhoseAdapterTheModelCommandsLoad() throws Exception {
    Path out = dir.resolve("run");
    JarRun run = JarRun.of("train", "sft", "--model", model.toString(), "--dataset", data.toString(),
        "--out", out.toString(), "--max-steps", "3", "--batch-size", "4", "--grad-accum", "1", "--rank", "4",
        "--logging-steps", "1", "--save-steps", "2", "--lr", "1e-3");

    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode result = Json.MAPPER.readTree(run.stdout());
    assertEquals("completed", result.path("status").asString());
    assertEquals(3, result.path("step").asInt());
    assertEquals(8, result.path("data").path("train_examples").asInt());
    assertTrue(run.stderr().contains("step 3"), run.stderr());
    List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(3, metrics.size());
    assertTrue(Json.MAPPER.readTree(metrics.get(0)).path("loss").asDouble() > 0);
    assertTrue(Files.isRegularFile(out.resolve("checkpoints/checkpoint-2/optimizer.safetensors")));
    assertTrue(Files.isRegularFile(out.resolve("checkpoints/checkpoint-3/adapter_model.safetensors")));
    assertEquals(4, Json.readTree(out.resolve("adapter/adapter_config.json")).path("r").asInt());
    assertEquals(3, Json.readTree(out.resolve("config.json")).path("max_steps").asInt());

    JarRun score = JarRun.of("model", "score", "--model", model.toString(), "--adapter", out.resolve("adapter").toString(),
        "--token-ids", "3,17,256,999");
    assertEquals(0, score.exitCode(), score.stderr());
    assertEquals(3, Json.MAPPER.readTree(score.stdout()).path("logprobs").size());

    JarRun again = JarRun.of("train", "sft", "--model", model.toString(), "--dataset", data.toString(),
        "--out", out.toString());
    assertEquals(2, again.exitCode());
    assertTrue(again.stderr().contains("already holds a training run; pass --resume"), again.stderr());
    JarRun changed = JarRun.of("train", "sft", "--out", out.toString(), "--resume", "--rank", "8");
    assertEquals(2, changed.exitCode());
    assertTrue(changed.stderr().contains("was started with rank = 4"), changed.stderr());
  }

  /** SIGTERM saves a checkpoint before exit; --resume finishes the run from it. */
  @Test
  void sigtermSavesACheckpointAndResumeFinishesTheRun() throws Exception {
    Path out = dir.resolve("interrupted");
    List<String> command = new ArrayList<>(List.of(ServerProcess.JAVA, "-jar", ServerProcess.JAR.toString(),
        "train", "sft", "--model", model.toString(), "--dataset", data.toString(), "--out", out.toString(),
        "--max-steps", "60", "--batch-size", "2", "--grad-accum", "1", "--rank", "2", "--logging-steps", "1",
        "--save-steps", "1000"));
    Process process = new ProcessBuilder(command).redirectOutput(dir.resolve("interrupted.out").toFile())
        .redirectError(dir.resolve("interrupted.err").toFile()).start();
    Path metrics = out.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.isRegularFile(metrics) && Files.size(metrics) > 0) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    process.destroy();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the run stops after its current step");
    String stderr = Files.readString(dir.resolve("interrupted.err"));
    assertTrue(stderr.contains("stopping after the current step"), stderr);
    JsonNode stopped = Json.readTree(out.resolve("result.json"));
    assertEquals("stopped", stopped.path("status").asString(), stderr);
    int step = stopped.path("step").asInt();
    assertTrue(step >= 1 && step < 60, "stopped at " + step);
    assertTrue(Files.isRegularFile(out.resolve("checkpoints/checkpoint-" + step + "/trainer_state.json")));

    JarRun resumed = JarRun.of("train", "sft", "--out", out.toString(), "--resume");
    assertEquals(0, resumed.exitCode(), resumed.stderr());
    assertTrue(resumed.stderr().contains("resuming " + out + " from step " + step), resumed.stderr());
    assertEquals(60, Json.MAPPER.readTree(resumed.stdout()).path("step").asInt());
    assertEquals(60, Files.readAllLines(metrics).size(), "one line per step, none repeated");
  }

  @Test
  void badInputIsRefusedWithWhereAndHowToFixIt() throws Exception {
    Path broken = dir.resolve("broken.jsonl");
    Files.writeString(broken, Files.readAllLines(data).get(0) + "\n{\"messages\": [oops\n");
    JarRun malformed = JarRun.of("train", "sft", "--model", model.toString(), "--dataset", broken.toString(),
        "--out", dir.resolve("broken-run").toString());
    assertEquals(2, malformed.exitCode());
    assertTrue(malformed.stderr().contains("broken.jsonl:2: not valid JSON"), malformed.stderr());

    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"model\": \"" + model + "\", \"dataset\": \"" + data + "\", \"learning_rate\": 1}");
    JarRun unknown = JarRun.of("train", "dpo", "--config", config.toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.stderr().contains("unknown training setting 'learning_rate'"), unknown.stderr());
    assertTrue(unknown.stderr().contains("lr"), unknown.stderr());
  }
}
