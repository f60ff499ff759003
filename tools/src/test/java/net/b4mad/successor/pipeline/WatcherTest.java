package net.b4mad.successor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.BeadUpdate;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.beads.NewBead;
import net.b4mad.successor.datasets.DatasetsArea;
import net.b4mad.successor.jobs.JobBeads;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatcherTest {

  private static Bead bead(String description) {
    return Json.MAPPER.convertValue(Json.MAPPER.createObjectNode()
        .put("id", "b4-1").put("title", "Retrain").put("status", "open").put("priority", 2).put("description", description),
        Bead.class);
  }

  @Test
  void settingsComeFromTheDescriptionOrItsJsonBlock() {
    assertEquals("/m", Watcher.settings(bead("{\"model\": \"/m\"}")).path("model").asString());
    assertEquals(200, Watcher.settings(bead("Retrain on this week's traces.\n\n```json\n{\"model\": \"/m\","
        + " \"sft\": {\"max_steps\": 200}}\n```\nThanks")).path("sft").path("max_steps").asInt());
    for (String bad : List.of("Retrain please", "{\"model\": ", "```json\n[1, 2]\n```")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Watcher.settings(bead(bad)));
      assertTrue(e.getMessage().startsWith("its "), e.getMessage());
    }
  }

  @TempDir Path dir;

  @Test
  void aBeadIsTakenOnceUnlessItsSettingsWereRefused() {
    Workspace workspace = Workspace.open(dir.resolve("ws"), List.of());
    EmbeddedBeads beads = new EmbeddedBeads(workspace.root());
    JobQueue queue = new JobQueue(workspace, () -> {}, JobBeads.NONE, List.of());
    List<String> log = new ArrayList<>();
    Watcher watcher = new Watcher(workspace, beads, new Pipelines(workspace, queue, beads, new DatasetsArea(workspace)),
        "retrain", log::add);
    Bead vague = beads.create(new NewBead("Retrain", "task", 2, "Retrain please", List.of("retrain"), List.of(), null));
    Bead typo = beads.create(new NewBead("Retrain", "task", 2, "{\"model\": \"m\", \"stf\": {}}", List.of("retrain"),
        List.of(), null));
    Bead done = beads.create(new NewBead("Retrain", "task", 2, "{\"model\": \"m\"}", List.of("retrain"), List.of(), null));
    beads.create(new NewBead("Unrelated", "task", 2, "{\"model\": \"m\"}", List.of(), List.of(), null));
    // A bead that an earlier watcher ran to the end: ready again (reopened), it is still not run twice.
    workspace.store().write(connection -> {
      try (PreparedStatement pipeline = connection.prepareStatement(
          "INSERT INTO pipelines (id, created_at, spec) VALUES ('pipeline-1', '2026-11-01T00:00:00Z', '{}')")) {
        pipeline.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO watched_beads (bead_id, claimed_at,"
          + " pipeline_id, outcome, finished_at) VALUES (?, '2026-11-01T00:00:00Z', 'pipeline-1', 'promoted', '2026-11-01T01:00:00Z')")) {
        insert.setString(1, done.id());
        insert.executeUpdate();
      }
      return null;
    });

    Watcher.Poll first = watcher.poll();
    assertEquals(List.of(), first.started());
    assertEquals(Stream.of(vague.id(), typo.id()).sorted().toList(), first.blocked().stream().sorted().toList());
    assertEquals("blocked", beads.show(vague.id()).status());
    assertTrue(beads.show(typo.id()).notes().contains("stf"), beads.show(typo.id()).notes());
    assertEquals("open", beads.show(done.id()).status(), "a bead that ran once is left alone");

    assertEquals(List.of(), watcher.poll().blocked(), "blocked beads are not ready: nothing to take");

    beads.update(vague.id(), new BeadUpdate("open", null, List.of(), List.of()));
    Watcher.Poll again = watcher.poll();
    assertEquals(List.of(vague.id()), again.blocked(), "refused settings started nothing, so the reopened bead is taken");
    assertEquals(2, beads.show(vague.id()).notes().split("cannot retrain from this bead", -1).length - 1);
  }

  /** A failed SFT step cancels what waits for it; the pipeline's failure names the SFT step, not the last one. */
  @Test
  void aPipelinesFailureIsItsFirstFailedStep() throws Exception {
    Workspace workspace = Workspace.open(dir.resolve("ws"), List.of());
    JobQueue queue = new JobQueue(workspace, () -> {}, JobBeads.NONE, List.of());
    workspace.store().write(connection -> {
      try (PreparedStatement pipeline = connection.prepareStatement(
          "INSERT INTO pipelines (id, created_at, spec) VALUES ('pipeline-1', '2026-11-01T00:00:00Z', '{}')")) {
        pipeline.executeUpdate();
      }
      return null;
    });
    List<String> ids = List.of("sft-1", "eval-1", "eval-2", "promote-1");
    for (String id : ids) {
      Path runDir = workspace.runsDir().resolve(id);
      java.nio.file.Files.createDirectories(runDir);
      String kind = id.substring(0, id.indexOf('-'));
      JobSpec spec = new JobSpec(kind, Json.MAPPER.createObjectNode().put("dataset", "ds"), 0, null,
          id.equals("eval-1") ? List.of("sft-1") : id.equals("promote-1") ? List.of("eval-1", "eval-2") : List.of(),
          null, "pipeline-1");
      spec.write(runDir);
      queue.store().enqueue(id, spec, runDir.toString());
    }
    queue.store().finish("sft-1", JobState.FAILED, "out of memory", null);
    queue.store().finish("eval-1", JobState.CANCELLED, "not run: job sft-1 failed", null);
    queue.store().finish("promote-1", JobState.CANCELLED, "not run: job eval-1 cancelled", null);

    Pipelines.Pipeline pipeline = new Pipelines(workspace, queue, new EmbeddedBeads(workspace.root()),
        new DatasetsArea(workspace)).status("pipeline-1");

    assertEquals(List.of("sft", "eval candidate", "eval reference", "promote"),
        pipeline.steps().stream().map(Pipelines.Step::step).toList());
    assertEquals("failed", pipeline.state());
    assertEquals("sft step sft-1 failed: out of memory", pipeline.failure());
    assertEquals("ds", pipeline.dataset());
  }
}
