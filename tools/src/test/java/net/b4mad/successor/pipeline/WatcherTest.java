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
        "retrain", log::add, settings -> {
          if (settings.has("stf")) {
            throw new IllegalArgumentException("its settings do not match: stf");
          }
        });
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
}
