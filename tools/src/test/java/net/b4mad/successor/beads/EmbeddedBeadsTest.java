package net.b4mad.successor.beads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The embedded store: the JSON it writes, bd's id and ready rules, and that nothing already in the file is lost. */
class EmbeddedBeadsTest {

  @TempDir Path dir;

  private EmbeddedBeads store(String name) {
    return new EmbeddedBeads(dir.resolve(name));
  }

  private static List<JsonNode> lines(EmbeddedBeads beads) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(beads.file())) {
      lines.add(Json.MAPPER.readTree(line));
    }
    return lines;
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    node.propertyNames().forEach(keys::add);
    return keys;
  }

  private static void assertRfc3339(JsonNode value) {
    assertTrue(value.isString(), String.valueOf(value));
    OffsetDateTime.parse(value.stringValue());
  }

  @Test
  void writesEachIssueAsALineInBeadsJsonShape() throws Exception {
    EmbeddedBeads beads = store("My Project!");
    Bead data = beads.create(new NewBead("Build dataset tools-v3"));
    Bead run = beads.create(new NewBead("SFT run: tools-v3", "task", 1, "Train a LoRA adapter.",
        List.of("sft", "dataset:tools-v3"), List.of(data.id()), null));

    assertEquals(dir.resolve("My Project!/.beads/issues.jsonl"), beads.file());
    List<JsonNode> lines = lines(beads);
    assertEquals(2, lines.size());
    JsonNode line = lines.get(1);
    assertEquals(Set.of("id", "title", "description", "status", "priority", "issue_type", "labels", "dependencies",
        "created_at", "updated_at"), keys(line));
    assertTrue(line.get("id").stringValue().matches("myproject-[0-9a-z]{4}"), line.toString());
    assertEquals(run.id(), line.get("id").stringValue());
    assertEquals("SFT run: tools-v3", line.get("title").stringValue());
    assertEquals("open", line.get("status").stringValue());
    assertEquals(1, line.get("priority").intValue());
    assertEquals("task", line.get("issue_type").stringValue());
    assertEquals(List.of("dataset:tools-v3", "sft"), Json.MAPPER.treeToValue(line.get("labels"), List.class));
    assertRfc3339(line.get("created_at"));
    assertRfc3339(line.get("updated_at"));
    JsonNode edge = line.get("dependencies").get(0);
    assertEquals(Set.of("issue_id", "depends_on_id", "type", "created_at"), keys(edge));
    assertEquals(run.id(), edge.get("issue_id").stringValue());
    assertEquals(data.id(), edge.get("depends_on_id").stringValue());
    assertEquals("blocks", edge.get("type").stringValue());
    assertEquals(2, lines.get(0).get("priority").intValue());

    beads.update(run.id(), new BeadUpdate("in_progress", "step 100: loss 1.92", List.of("gpu"), List.of("sft")));
    beads.update(run.id(), BeadUpdate.notes("step 200: loss 1.41"));
    beads.close(data.id(), null);
    Bead closed = beads.close(run.id(), "trained: eval loss 1.23");

    JsonNode done = lines(beads).get(1);
    assertEquals("closed", done.get("status").stringValue());
    assertEquals("step 100: loss 1.92\nstep 200: loss 1.41", done.get("notes").stringValue());
    assertEquals(List.of("dataset:tools-v3", "gpu"), Json.MAPPER.treeToValue(done.get("labels"), List.class));
    assertEquals("trained: eval loss 1.23", done.get("close_reason").stringValue());
    assertRfc3339(done.get("closed_at"));
    assertEquals("Closed", lines(beads).get(0).get("close_reason").stringValue(), "bd's default reason");
    assertEquals(closed, beads.show(run.id()));
    assertFalse(Instant.parse(closed.updatedAt()).isBefore(Instant.parse(closed.createdAt())));
  }

  @Test
  void idsAreBdsHashIds() {
    // Expected values computed with a separate implementation of beads' internal/idgen/hash.go.
    Instant time = Instant.parse("2026-11-24T09:12:03.418276Z");
    String title = "SFT run: tools-v3";
    String description = "Train a LoRA adapter.";
    assertEquals("successor-45d", EmbeddedBeads.hashId("successor", title, description, "successor", time, 3, 0));
    assertEquals("successor-xi5n", EmbeddedBeads.hashId("successor", title, description, "successor", time, 4, 0));
    assertEquals("successor-5if6", EmbeddedBeads.hashId("successor-", title, description, "successor", time, 4, 1));
    assertEquals("successor-ke949j", EmbeddedBeads.hashId("successor", title, description, "successor", time, 6, 0));
    assertEquals("successor-b51cuby6", EmbeddedBeads.hashId("successor", title, description, "successor", time, 8, 0));

    assertEquals(4, EmbeddedBeads.hashLength(0));
    assertEquals(4, EmbeddedBeads.hashLength(500));
    assertEquals(5, EmbeddedBeads.hashLength(1000));
    assertEquals(6, EmbeddedBeads.hashLength(10_000));
  }

  @Test
  void theWorkspaceDirectoryGivesThePrefixAndExistingIdsKeepIt() throws Exception {
    assertTrue(store(".successor").create(new NewBead("a")).id().startsWith("successor-"));
    assertTrue(store("---").create(new NewBead("a")).id().startsWith("bd-"));
    EmbeddedBeads imported = store("imported");
    Files.createDirectories(imported.file().getParent());
    Files.writeString(imported.file(), "{\"id\":\"b4-1a2b\",\"title\":\"From bd\",\"status\":\"open\",\"priority\":2,\"issue_type\":\"task\"}\n");
    assertTrue(imported.create(new NewBead("a")).id().matches("b4-[0-9a-z]{4}"));
  }

  @Test
  void childrenAreNumberedUnderTheirParent() {
    EmbeddedBeads beads = store("repo");
    Bead epic = beads.create(new NewBead("Pipeline: tools-v3", "epic", 1, null, null, null, null));
    Bead first = beads.create(new NewBead("Train", "task", 1, null, null, null, epic.id()));
    Bead second = beads.create(new NewBead("Evaluate", "task", 1, null, null, null, epic.id()));
    Bead grandchild = beads.create(new NewBead("Export", "task", 1, null, null, null, first.id()));

    assertEquals(epic.id() + ".1", first.id());
    assertEquals(epic.id() + ".2", second.id());
    assertEquals(epic.id() + ".1.1", grandchild.id());
    assertEquals(epic.id(), second.parent());
    assertEquals("parent-child", second.dependencies().get(0).type());
  }

  @Test
  void readyFollowsBdsBlockingRules() {
    EmbeddedBeads beads = store("repo");
    Bead data = beads.create(new NewBead("Build dataset", "task", 2, null, null, null, null));
    Bead train = beads.create(new NewBead("Train", "task", 1, null, null, List.of(data.id()), null));
    Bead review = beads.create(new NewBead("Review plan", "task", 3, null, null, null, null));
    Bead blockedEpic = beads.create(new NewBead("Pipeline B", "epic", 2, null, null, List.of(review.id()), null));
    Bead inBlockedEpic = beads.create(new NewBead("Step of B", "task", 0, null, null, null, blockedEpic.id()));
    Bead deeper = beads.create(new NewBead("Sub-step of B", "task", 0, null, null, null, inBlockedEpic.id()));
    Bead openEpic = beads.create(new NewBead("Pipeline C", "epic", 2, null, null, null, null));
    Bead inOpenEpic = beads.create(new NewBead("Step of C", "bug", 0, null, List.of("c"), null, openEpic.id()));
    Bead started = beads.create(new NewBead("Running", "task", 0, null, null, null, null));
    beads.update(started.id(), BeadUpdate.status("in_progress"));

    // A parent-child edge alone blocks nothing; a blocked parent blocks its children at any depth.
    assertEquals(List.of(inOpenEpic.id(), data.id(), openEpic.id(), review.id()),
        ids(beads.ready(new BeadFilter(null, null, null, 0))));
    assertEquals(Set.of(train.id(), blockedEpic.id(), inBlockedEpic.id(), deeper.id()),
        EmbeddedBeads.blocked(beads.list(BeadFilter.everything())));

    beads.close(data.id(), "built");
    beads.close(review.id(), "approved");
    assertEquals(List.of(inBlockedEpic.id(), deeper.id(), inOpenEpic.id(), train.id(), blockedEpic.id(), openEpic.id()),
        ids(beads.ready(new BeadFilter(null, null, null, 0))));
    assertEquals(List.of(inOpenEpic.id()), ids(beads.ready(new BeadFilter(null, "c", "bug", 0))));
    assertEquals(2, beads.ready(new BeadFilter(null, null, null, 2)).size());
  }

  @Test
  void aBeadWithOpenBlockersCannotBeClosedButAClosedOneClosesAgainQuietly() {
    EmbeddedBeads beads = store("repo");
    Bead data = beads.create(new NewBead("Build dataset"));
    Bead train = beads.create(new NewBead("Train", "task", 1, null, null, List.of(data.id()), null));

    BeadsException refused = assertThrows(BeadsException.class, () -> beads.close(train.id(), "done"));
    assertTrue(refused.getMessage().contains("blocked by open beads [" + data.id() + "]"), refused.getMessage());

    Bead closed = beads.close(data.id(), "built");
    assertEquals(closed, beads.close(data.id(), "again"));
    assertEquals("closed", beads.close(train.id(), "done").status());
  }

  @Test
  void reopeningClearsTheClose() {
    EmbeddedBeads beads = store("repo");
    Bead bead = beads.create(new NewBead("Train"));
    beads.close(bead.id(), "done too early");

    Bead reopened = beads.update(bead.id(), BeadUpdate.status("open"));

    assertEquals("open", reopened.status());
    assertNull(reopened.closedAt());
    assertNull(reopened.closeReason());
  }

  @Test
  void listsByStatusLabelAndTypeHighestPriorityFirst() {
    EmbeddedBeads beads = store("repo");
    Bead low = beads.create(new NewBead("Low", "task", 4, null, List.of("x"), null, null));
    Bead high = beads.create(new NewBead("High", "bug", 0, null, List.of("x"), null, null));
    Bead done = beads.create(new NewBead("Done", "task", 2, null, null, null, null));
    beads.close(done.id(), null);

    assertEquals(List.of(high.id(), low.id()), ids(beads.list(new BeadFilter(null, null, null, 0))));
    assertEquals(List.of(high.id(), done.id(), low.id()), ids(beads.list(BeadFilter.everything())));
    assertEquals(List.of(done.id()), ids(beads.list(new BeadFilter("closed", null, null, 0))));
    assertEquals(List.of(low.id()), ids(beads.list(new BeadFilter("open", "x", "task", 0))));
    assertEquals(List.of(high.id()), ids(beads.list(new BeadFilter(null, null, null, 1))));
    assertEquals(0, beads.show(high.id()).priority());
  }

  @Test
  void priorityZeroIsWrittenNotLeftOut() throws Exception {
    EmbeddedBeads beads = store("repo");
    beads.create(new NewBead("Critical", "bug", 0, null, null, null, null));
    assertEquals(0, lines(beads).get(0).get("priority").intValue());
  }

  @Test
  void addsDependenciesOnce() {
    EmbeddedBeads beads = store("repo");
    Bead train = beads.create(new NewBead("Train"));
    Bead eval = beads.create(new NewBead("Evaluate"));

    beads.addDependency(eval.id(), train.id(), "blocks");
    beads.addDependency(eval.id(), train.id(), "blocks");

    assertEquals(List.of(train.id()), beads.show(eval.id()).blockers());
    assertEquals(List.of(train.id()), ids(beads.ready(new BeadFilter(null, null, null, 0))));
    assertThrows(IllegalArgumentException.class, () -> beads.addDependency(eval.id(), eval.id(), "blocks"));
    assertThrows(IllegalArgumentException.class, () -> beads.addDependency(eval.id(), train.id(), "follows"));
    BeadsException unknown = assertThrows(BeadsException.class, () -> beads.addDependency(eval.id(), "repo-zzzz", "blocks"));
    assertTrue(unknown.getMessage().contains("no bead repo-zzzz in " + beads.file()), unknown.getMessage());
  }

  @Test
  void badInputIsRefusedWithAMessageThatSaysWhatIsAllowed() {
    EmbeddedBeads beads = store("repo");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new NewBead("t", "story", 2, null, null, null, null))
        .getMessage().contains("[bug, feature, task, epic, chore]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new NewBead("t", "task", 5, null, null, null, null))
        .getMessage().contains("0 (critical) to 4 (backlog)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new NewBead(" "))
        .getMessage().contains("needs a title"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BeadUpdate.status("closed"))
        .getMessage().contains("close a bead with bead_close"));
    assertThrows(IllegalArgumentException.class, () -> new BeadUpdate(null, null, List.of("a,b"), null));
    assertThrows(BeadsException.class, () -> beads.create(new NewBead("t", "task", 2, null, null, List.of("repo-zzzz"), null)));
    assertFalse(Files.exists(beads.file()), "a refused create writes nothing");
  }

  @Test
  void keepsUnknownFieldsAndUnreadableLinesAsTheyAre() throws Exception {
    EmbeddedBeads beads = store("repo");
    String fromBd =
        "{\"id\":\"bd-a1b2\",\"title\":\"From bd\",\"design\":\"kept\",\"status\":\"open\",\"priority\":1,"
            + "\"issue_type\":\"feature\",\"assignee\":\"lotti\",\"created_at\":\"2025-10-01T08:00:00.5-07:00\","
            + "\"updated_at\":\"2025-10-01T08:00:00.5-07:00\",\"labels\":[\"ux\"],"
            + "\"dependencies\":[{\"issue_id\":\"bd-a1b2\",\"depends_on_id\":\"bd-c3d4\",\"type\":\"related\","
            + "\"created_at\":\"2025-10-01T08:00:00Z\",\"created_by\":\"lotti\",\"metadata\":\"{\\\"score\\\":0.9}\"}],"
            + "\"comments\":[{\"id\":1,\"issue_id\":\"bd-a1b2\",\"author\":\"lotti\",\"text\":\"hi\",\"created_at\":\"2025-10-01T08:00:00Z\"}]}";
    String untouched = "{\"id\": \"bd-c3d4\",  \"title\": \"Spacing kept\", \"priority\": 2}";
    String truncated = "{\"id\":\"bd-e5f6\",\"title\":\"cut off";
    String wrongType = "{\"id\":\"bd-g7h8\",\"title\":\"x\",\"priority\":\"high\"}";
    String notAnIssue = "[1, 2, 3]";
    Files.createDirectories(beads.file().getParent());
    Files.writeString(beads.file(), String.join("\n", fromBd, untouched, truncated, "", wrongType, notAnIssue) + "\n");

    beads.update("bd-a1b2", BeadUpdate.notes("looked at it"));
    Bead added = beads.create(new NewBead("New"));

    List<String> lines = Files.readAllLines(beads.file());
    assertEquals(6, lines.size(), lines.toString());
    assertEquals(untouched, lines.get(1));
    assertEquals(truncated, lines.get(2));
    assertEquals(wrongType, lines.get(3));
    assertEquals(notAnIssue, lines.get(4));
    JsonNode updated = Json.MAPPER.readTree(lines.get(0));
    assertEquals("kept", updated.get("design").stringValue());
    assertEquals("lotti", updated.get("assignee").stringValue());
    assertEquals("hi", updated.at("/comments/0/text").stringValue());
    assertEquals("{\"score\":0.9}", updated.at("/dependencies/0/metadata").stringValue());
    assertEquals("lotti", updated.at("/dependencies/0/created_by").stringValue());
    assertEquals("2025-10-01T08:00:00.5-07:00", updated.get("created_at").stringValue());
    assertEquals("looked at it", updated.get("notes").stringValue());
    List<String> order = new ArrayList<>();
    updated.propertyNames().forEach(order::add);
    assertEquals(List.of("id", "title", "design", "status", "priority", "issue_type", "assignee", "created_at",
        "updated_at", "labels", "dependencies", "comments", "notes"), order);
    assertTrue(added.id().startsWith("bd-"));
    assertEquals(added.id(), Json.MAPPER.readTree(lines.get(5)).get("id").stringValue());
    assertEquals(Set.of("bd-a1b2", "bd-c3d4", added.id()), Set.copyOf(ids(beads.list(new BeadFilter(null, null, null, 0)))));
  }

  private static List<String> ids(List<Bead> beads) {
    return beads.stream().map(Bead::id).toList();
  }
}
