package net.b4mad.successor.cli;

import static net.b4mad.successor.cli.ServerProcess.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.beads.NewBead;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop through MCP against the built jar: traces -> dataset -> beads -> SFT job -> evals -> compare ->
 * promote, as pipeline_retrain runs it; and the watcher turning a labelled bead into a closed one.
 */
class PipelineIT {

  @TempDir static Path dir;
  static Path model;
  static Path traces;

  @BeforeAll
  static void prepare() throws Exception {
    model = dir.resolve("models/tiny");
    JarRun.tinyModel(model);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      lines.add(DatasetsIT.example("b4-" + i));
    }
    traces = dir.resolve("traces/openai.jsonl");
    Files.createDirectories(traces.getParent());
    Files.write(traces, lines, StandardCharsets.UTF_8);
  }

  private static String settings() {
    return "{\"model\": \"" + model + "\", \"sft\": {\"max_steps\": 2, \"batch_size\": 4, \"grad_accum\": 1,"
        + " \"rank\": 4, \"save_steps\": 2}, \"eval\": {\"limit\": 1, \"max_new_tokens\": 12},"
        + " \"gate\": {\"min_margin\": 0}}";
  }

  @Test
  void aPipelineTrainsEvaluatesComparesAndPromotes() throws Exception {
    Path workspace = dir.resolve("ws-pipeline");
    McpSyncClient client = ServerProcess.sdkClient("--workspace", workspace.toString(), "--allow-dir", dir.toString());
    try {
      call(client, "traces_import", Map.of("path", traces.toString()));
      // With a DPO stage: pairs from the SFT adapter's answers (a random model fails, so gold is chosen), then DPO.
      String withDpo = settings().replaceFirst("}$", ", \"dpo\": {\"max_steps\": 2, \"batch_size\": 2},"
          + " \"pairs\": {\"samples\": 2, \"limit\": 2, \"max_new_tokens\": 12, \"use_gold_when_none_pass\": true}}");
      Map<?, ?> started = call(client, "pipeline_retrain", Json.toMap(Json.MAPPER.readTree(withDpo)));
      List<?> steps = (List<?>) started.get("steps");
      assertEquals(List.of("sft", "pairs", "dpo", "eval candidate", "eval reference", "promote"),
          steps.stream().map(step -> ((Map<?, ?>) step).get("step")).toList());
      String id = started.get("id").toString();
      Map<?, ?> status = started;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (status.get("state").equals("running") && System.nanoTime() < deadline) {
        Thread.sleep(500);
        status = call(client, "pipeline_status", Map.of("id", id));
      }
      assertEquals("succeeded", status.get("state"), status.toString());
      Map<?, ?> outcome = (Map<?, ?>) status.get("outcome");
      assertEquals(Boolean.TRUE, outcome.get("promoted"), outcome.toString());
      assertTrue(outcome.get("compared_with").toString().contains("base model"), outcome.toString());

      Map<?, ?> parent = call(client, "bead_show", Map.of("id", started.get("bead_id")));
      assertEquals("epic", parent.get("issue_type"));
      String sftBead = ((Map<?, ?>) steps.get(0)).get("bead_id").toString();
      String promoteBead = ((Map<?, ?>) steps.get(5)).get("bead_id").toString();
      assertTrue(sftBead.startsWith(parent.get("id") + "."), "a step's bead is a child of the pipeline's: " + sftBead);
      Map<?, ?> promote = call(client, "bead_show", Map.of("id", promoteBead));
      assertEquals("closed", promote.get("status"), promote.toString());
      assertTrue(promote.get("close_reason").toString().startsWith("promoted "), promote.toString());
      List<?> waitsFor = ((List<?>) promote.get("dependencies")).stream()
          .filter(edge -> "blocks".equals(((Map<?, ?>) edge).get("type")))
          .map(edge -> ((Map<?, ?>) edge).get("depends_on_id")).toList();
      assertTrue(waitsFor.containsAll(List.of(((Map<?, ?>) steps.get(3)).get("bead_id"),
          ((Map<?, ?>) steps.get(4)).get("bead_id"))), "the promote step waits for both evals: " + waitsFor);
      Map<?, ?> production = (Map<?, ?>) call(client, "models_list", Map.of()).get("production");
      assertTrue(production.toString().contains(((Map<?, ?>) steps.get(2)).get("job_id").toString()),
          "the DPO adapter is production: " + production);
    } finally {
      client.closeGracefully();
    }
  }

  /** A bead labelled retrain is taken once, runs a pipeline, and is closed with the outcome; bad settings block it. */
  @Test
  void theWatcherClosesALabelledBeadWithThePipelinesOutcome() throws Exception {
    Path workspace = dir.resolve("ws-watch");
    JarRun imported = JarRun.of("traces", "import", traces.toString(), "--workspace", workspace.toString());
    assertEquals(0, imported.exitCode(), imported.stderr());
    EmbeddedBeads beads = new EmbeddedBeads(workspace);
    Bead good = beads.create(new NewBead("Retrain on this week's traces", "task", 2,
        "Please retrain.\n\n```json\n" + settings() + "\n```", List.of("retrain"), List.of(), null));
    Bead bad = beads.create(new NewBead("Retrain, but vaguely", "task", 2, "Retrain please", List.of("retrain"),
        List.of(), null));
    Bead typo = beads.create(new NewBead("Retrain with a typo", "task", 2, "{\"model\": \"" + model + "\", \"stf\": {}}",
        List.of("retrain"), List.of(), null));

    Process watch = new ProcessBuilder(ServerProcess.JAVA, "-jar", ServerProcess.JAR.toString(), "watch",
        "--workspace", workspace.toString(), "--allow-dir", dir.toString(), "--interval", "1", "--beads", "embedded")
        .redirectErrorStream(true).redirectOutput(dir.resolve("watch.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (!beads.show(good.id()).status().equals("closed") && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      Bead closed = beads.show(good.id());
      assertEquals("closed", closed.status(), Files.readString(dir.resolve("watch.log")));
      assertTrue(closed.closeReason().startsWith("promoted "), closed.closeReason());
      assertTrue(closed.closeReason().contains("\"overall\""), closed.closeReason());
      Bead blocked = beads.show(bad.id());
      assertEquals("blocked", blocked.status());
      assertTrue(blocked.notes().contains("holds no JSON object of settings"), blocked.notes());
      Bead refused = beads.show(typo.id());
      assertEquals("blocked", refused.status());
      assertTrue(refused.notes().contains("pipeline_retrain's arguments") && refused.notes().contains("stf"),
          refused.notes());
    } finally {
      watch.destroy();
      watch.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
