package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code successor demo --quick --json} through the jar: every stage of the loop runs offline and leaves what an
 * agent's loop leaves in the workspace; the summary is one JSON object with the same categories before and after,
 * and a promotion only where the tuned model scored higher. (Whether the full demo's tuned model beats its base is
 * measured by README's first command, not here: --quick trains too little.)
 */
class DemoIT {

  @TempDir Path dir;

  @Test
  void theLoopRunsThroughEveryStageAndSummarisesBeforeAndAfter() throws Exception {
    Path workspace = dir.resolve("demo");
    JarRun run = JarRun.within(900, "demo", "--quick", "--json", "--workspace", workspace.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode summary = Json.MAPPER.readTree(run.stdout());
    List<String> before = new ArrayList<>();
    summary.path("before").properties().forEach(entry -> before.add(entry.getKey()));
    List<String> after = new ArrayList<>();
    summary.path("after").properties().forEach(entry -> after.add(entry.getKey()));
    assertEquals("overall", before.get(0), summary.toString());
    assertEquals(before, after, "the same categories before and after");
    assertTrue(before.contains("no_call"), "held-out turns without a call are cases too: " + before);
    assertEquals(List.of("overall", "right_tool", "valid_json"), before.subList(0, 3), summary.toString());
    assertTrue(summary.path("seconds").asLong() > 0);
    if (summary.path("promoted").asBoolean()) {
      assertTrue(summary.at("/after/overall").asDouble() > summary.at("/before/overall").asDouble(), summary.toString());
    }
    for (int stage = 1; stage <= 7; stage++) {
      assertTrue(run.stderr().contains("[" + stage + "/7]"), "stage " + stage + ":\n" + run.stderr());
    }
    assertTrue(run.stderr().contains("standing in for a pretrained base"), "the base says what it is: " + run.stderr());
    assertTrue(run.stderr().contains("held-out pass rate"), "the table goes to stderr with --json: " + run.stderr());
    assertFalse(run.stderr().contains("INFO ai.djl"), "DJL's start-up lines stay out of the progress");
    assertTrue(Files.isRegularFile(workspace.resolve("successor.db")));
    assertTrue(Files.isDirectory(workspace.resolve("models/demo-base")));
    try (var runs = Files.list(workspace.resolve("runs"))) {
      assertEquals(1, runs.filter(Files::isDirectory).count(), "the SFT run");
    }
    try (var evals = Files.list(workspace.resolve("evals"))) {
      assertEquals(2, evals.filter(path -> path.getFileName().toString().startsWith("eval-")).count());
    }
    String beads = Files.readString(workspace.resolve(".beads/issues.jsonl"));
    assertEquals(3, beads.lines().count(), "a bead per job (eval base, SFT, eval tuned): " + beads);
  }
}
