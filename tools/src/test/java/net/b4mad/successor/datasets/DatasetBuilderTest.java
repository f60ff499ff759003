package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFilter;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.traces.TraceToolCall;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class DatasetBuilderTest {

  static TokenCounter tokens;

  @TempDir Path dir;
  Workspace workspace;
  TraceStore traces;
  DatasetBuilder builder;

  @BeforeAll
  static void load() {
    tokens = TokenCounter.bundled();
  }

  @AfterAll
  static void close() {
    tokens.close();
  }

  @BeforeEach
  void open() {
    workspace = Workspace.open(dir.resolve("ws"), List.of());
    traces = new TraceStore(workspace.store());
    builder = new DatasetBuilder(workspace);
  }

  /** 30 traces: 10 sessions of 3, beads b-0..b-5 cutting across sessions. */
  void addTraces() {
    List<Trace> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(Examples.trace(Examples.request(i), "s" + (i / 3), "b-" + (i % 6), "2026-11-%02dT10:00:00Z".formatted(i % 28 + 1)));
    }
    assertEquals(30, traces.addAll(all));
  }

  static BuildRequest request(String name) {
    return new BuildRequest(name, TraceFilter.ALL, List.of(), List.of(), 0.2, "session", null, 0, true, 0.9, 4096, "exclude");
  }

  static BuildRequest with(BuildRequest r, double evalFraction, String groupBy, TraceFilter heldOut, long seed) {
    return new BuildRequest(r.name(), r.traces(), r.goldFiles(), r.mixIns(), evalFraction, groupBy, heldOut, seed,
        r.dedupe(), r.nearThreshold(), r.maxTokens(), r.onInvalid());
  }

  BuildResult build(BuildRequest request) {
    return builder.build(request, tokens, ToolContext.detached("test"));
  }

  List<DatasetExample> split(BuildResult result, String split) {
    return builder.store().examples(builder.store().resolve(result.ref()), split);
  }

  Set<String> ids(BuildResult result, String split) {
    return split(result, split).stream().map(DatasetExample::id).collect(Collectors.toSet());
  }

  JsonNode manifest(BuildResult result) {
    return builder.store().manifest(builder.store().resolve(result.ref()));
  }

  @Test
  void buildsAVersionFolderFromAllTraces() throws Exception {
    addTraces();
    BuildResult result = build(request("agent-tools"));

    assertTrue(result.created());
    assertTrue(result.version().matches("[0-9a-f]{12}"), result.version());
    Path folder = workspace.datasetsDir().resolve("agent-tools").resolve(result.version());
    assertEquals(folder.toString(), result.path());
    for (String file : List.of("train.jsonl", "eval.jsonl", "manifest.json")) {
      assertTrue(Files.isRegularFile(folder.resolve(file)), file);
    }
    try (var entries = Files.list(folder.getParent())) {
      assertEquals(1, entries.count(), "no temporary folder is left behind");
    }
    assertEquals(30, result.counts().train() + result.counts().eval());
    assertEquals(6, result.counts().eval(), "20% of 30, in whole sessions of 3");
    String firstLine = Files.readAllLines(folder.resolve("train.jsonl")).get(0);
    JsonNode line = Json.MAPPER.readTree(firstLine);
    assertTrue(line.get("id").asString().startsWith("tr-"));
    assertTrue(line.has("messages") && line.has("tools"));

    JsonNode manifest = manifest(result);
    assertEquals(result.version(), manifest.get("version").asString());
    assertTrue(manifest.get("content_hash").asString().startsWith(result.version()));
    assertEquals("qwen3", manifest.at("/chat_template/name").asString());
    assertEquals(TokenCounter.BUNDLED_NAME, manifest.at("/tokenizer/name").asString());
    assertEquals(30, manifest.at("/sources/trace_ids").size());
    assertEquals(30, manifest.at("/stats/examples").asInt());
    assertEquals(30, manifest.at("/stats/tool_calls_per_tool/read_file").asInt());
    assertEquals(24, manifest.at("/tokens_by_split/train/histogram").findValues("count").stream().mapToInt(JsonNode::asInt).sum());
    assertEquals("session", manifest.at("/split/group_by").asString());
    assertEquals(1, workspace.store().count("dataset_versions"));
    assertEquals(result.version(), builder.store().resolve("agent-tools").version());
    assertEquals(result.version(), builder.store().resolve("agent-tools@latest").version());
  }

  @Test
  void theSameInputsBuildTheSameVersionOnce() throws Exception {
    addTraces();
    BuildResult first = build(request("agent-tools"));
    BuildResult again = build(request("agent-tools"));
    assertEquals(first.version(), again.version());
    assertFalse(again.created());
    assertEquals(first.createdAt(), again.createdAt());
    assertEquals(1, workspace.store().count("dataset_versions"));
    try (var entries = Files.list(workspace.datasetsDir().resolve("agent-tools"))) {
      assertEquals(1, entries.count());
    }
    BuildResult otherSeed = build(with(request("agent-tools"), 0.2, "session", null, 42));
    assertNotEquals(first.version(), otherSeed.version());
    assertEquals(otherSeed.version(), builder.store().resolve("agent-tools").version(), "the newest is latest");
  }

  @Test
  void theSeedDecidesTheSplitReproducibly() {
    addTraces();
    Set<String> seed1 = ids(build(with(request("a"), 0.3, "none", null, 1)), DatasetStore.EVAL);
    Set<String> seed1Again = ids(build(with(request("b"), 0.3, "none", null, 1)), DatasetStore.EVAL);
    Set<String> seed2 = ids(build(with(request("c"), 0.3, "none", null, 2)), DatasetStore.EVAL);
    assertEquals(9, seed1.size());
    assertEquals(seed1, seed1Again);
    assertNotEquals(seed1, seed2);
  }

  @Test
  void heldOutGroupsNeverStraddleTheSplit() {
    addTraces();
    Map<String, Trace> byId = traces.select(TraceFilter.ALL).stream().collect(Collectors.toMap(Trace::id, t -> t));
    for (String groupBy : List.of("session", "bead")) {
      for (long seed = 0; seed < 3; seed++) {
        BuildResult result = build(with(request("g-" + groupBy + seed), 0.3, groupBy, null, seed));
        Set<String> trainGroups = groups(ids(result, DatasetStore.TRAIN), byId, groupBy);
        Set<String> evalGroups = groups(ids(result, DatasetStore.EVAL), byId, groupBy);
        assertFalse(evalGroups.isEmpty());
        Set<String> both = new HashSet<>(trainGroups);
        both.retainAll(evalGroups);
        assertTrue(both.isEmpty(), groupBy + " groups on both sides: " + both);
        assertEquals(trainGroups.size(), result.split().trainGroups());
        assertEquals(evalGroups.size(), result.split().evalGroups());
      }
    }
  }

  private static Set<String> groups(Set<String> ids, Map<String, Trace> byId, String groupBy) {
    return ids.stream()
        .map(byId::get)
        .map(t -> groupBy.equals("session") ? t.metadata().sessionId() : t.metadata().beadIds().get(0))
        .collect(Collectors.toSet());
  }

  @Test
  void aHeldOutFilterTakesItsTracesAndTheirWholeGroupsToEval() {
    addTraces();
    TraceFilter bead = new TraceFilter(List.of(), null, null, null, null, null, null, null, null, "b-1", 0);
    BuildResult byTrace = build(with(request("held"), 0, "none", bead, 0));
    Set<String> beadTraces = traces.select(bead).stream().map(Trace::id).collect(Collectors.toSet());
    assertEquals(5, beadTraces.size());
    assertEquals(beadTraces, ids(byTrace, DatasetStore.EVAL));
    assertEquals("held_out", byTrace.split().method());

    // Grouped by session, the sessions of those traces come along: each bead-1 trace sits in its own session of 3.
    BuildResult bySession = build(with(request("held-session"), 0, "session", bead, 0));
    assertEquals(15, bySession.counts().eval());
    Set<String> evalIds = ids(bySession, DatasetStore.EVAL);
    assertTrue(evalIds.containsAll(beadTraces));

    TraceFilter nothing = new TraceFilter(List.of(), "nobody", null, null, null, null, null, null, null, null, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(with(request("x"), 0, "none", nothing, 0)));
    assertTrue(e.getMessage().contains("held_out matches none"), e.getMessage());
  }

  @Test
  void traceFiltersAndExplicitIdsChooseTheTraces() {
    addTraces();
    List<String> two = traces.select(TraceFilter.ALL).stream().map(Trace::id).limit(2).toList();
    BuildRequest byIds = new BuildRequest("ids", new TraceFilter(two, null, null, null, null, null, null, null, null, null, 0),
        List.of(), List.of(), 0, "none", null, 0, true, 0.9, 4096, "exclude");
    BuildResult result = build(byIds);
    assertEquals(new HashSet<>(two), ids(result, DatasetStore.TRAIN));

    TraceFilter session = new TraceFilter(List.of(), null, null, null, null, null, null, null, "s4", null, 0);
    BuildResult bySession = build(new BuildRequest("session", session, List.of(), List.of(), 0, "none", null, 0, true, 0.9, 4096, "exclude"));
    assertEquals(3, bySession.counts().train());
    assertEquals(Map.of("session_id", "s4"), manifest(bySession).at("/recipe/traces").properties().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().asString())));

    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> build(new BuildRequest("m",
        new TraceFilter(List.of("tr-0000000000000000"), null, null, null, null, null, null, null, null, null, 0),
        List.of(), List.of(), 0, "none", null, 0, true, 0.9, 4096, "exclude")));
    assertTrue(missing.getMessage().contains("tr-0000000000000000"), missing.getMessage());

    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> build(new BuildRequest("n",
        new TraceFilter(List.of(), "nobody", null, null, null, null, null, null, null, null, 0),
        List.of(), List.of(), 0, "none", null, 0, true, 0.9, 4096, "exclude")));
    assertTrue(none.getMessage().contains("nothing to build"), none.getMessage());
  }

  @Test
  void goldExamplesGoToTrainUnlessFlaggedAndWinOverDuplicateTraces() throws Exception {
    addTraces();
    Path gold = Examples.writeLines(workspace.root().resolve("gold/beads.jsonl"),
        List.of(Examples.goldLine("b4-1"), Examples.goldLine("b4-2"), "{broken"));
    Path goldEval = Examples.writeLines(workspace.root().resolve("gold/eval.jsonl"), List.of(Examples.goldLine("b4-9")));
    // A trace that is the first gold example, up to whitespace.
    JsonNode goldJson = Examples.json(Examples.goldLine("b4-1"));
    DatasetExample goldExample = DatasetExample.withContentId(goldJson, "gold");
    traces.add(new Trace(null, List.of(
        TraceMessage.user("close  b4-1, it is done"),
        TraceMessage.assistant(null, null, List.of(new TraceToolCall("g1", "bd_close", Examples.json("{\"id\": \"b4-1\", \"reason\": \"done\"}")))),
        TraceMessage.tool("g1", null, "closed b4-1"),
        TraceMessage.assistant("Closed b4-1.", null, List.of())), goldExample.tools(), null));

    BuildRequest base = request("with-gold");
    BuildResult result = build(new BuildRequest(base.name(), base.traces(),
        List.of(new BuildRequest.GoldFile(gold, false), new BuildRequest.GoldFile(goldEval, true)),
        List.of(), 0.2, "session", null, 0, true, 0.9, 4096, "exclude"));

    Set<String> train = ids(result, DatasetStore.TRAIN);
    Set<String> eval = ids(result, DatasetStore.EVAL);
    assertTrue(train.contains(goldExample.id()));
    assertEquals(2, train.stream().filter(id -> id.startsWith("gold-")).count());
    assertEquals(1, eval.stream().filter(id -> id.startsWith("gold-")).count());
    assertEquals(3, result.counts().gold());
    assertEquals(30, result.counts().fromTraces());
    assertEquals(1, result.duplicates().exact());
    DuplicateRemoval removal = result.duplicates().removed().get(0);
    assertTrue(removal.removedId().startsWith("tr-"));
    assertEquals(goldExample.id(), removal.keptId());
    assertEquals(1, result.counts().invalidExcluded(), "the broken line");
    assertEquals("beads.jsonl:line-3", result.invalid().problems().get(0).exampleId());
    JsonNode manifest = manifest(result);
    assertEquals(2, manifest.at("/sources/gold/0/used").asInt());
    assertEquals(64, manifest.at("/sources/gold/0/sha256").asString().length());
    assertEquals(3, manifest.at("/stats/bead_operation_examples").asInt(), "the gold examples; the duplicate trace is gone");
  }

  @Test
  void mixInExamplesAreSampledByRatioIntoTrain() throws Exception {
    addTraces();
    Path chat = Examples.writeLines(workspace.root().resolve("chat.jsonl"),
        IntStream.range(0, 40).mapToObj(Examples::chatLine).toList());
    BuildRequest base = request("mixed");
    BuildResult result = build(new BuildRequest(base.name(), base.traces(), List.of(),
        List.of(new BuildRequest.MixIn(chat, 0.5)), 0.2, "session", null, 7, true, 0.9, 4096, "exclude"));
    assertEquals(15, result.counts().mixIn());
    assertEquals(15, ids(result, DatasetStore.TRAIN).stream().filter(id -> id.startsWith("mix-")).count());
    assertTrue(ids(result, DatasetStore.EVAL).stream().allMatch(id -> id.startsWith("tr-")), "mix-in data never evaluates");
    assertEquals(40, manifest(result).at("/sources/mix_in/0/available").asInt());

    BuildResult same = build(new BuildRequest(base.name(), base.traces(), List.of(),
        List.of(new BuildRequest.MixIn(chat, 0.5)), 0.2, "session", null, 7, true, 0.9, 4096, "exclude"));
    assertEquals(result.version(), same.version(), "sampling follows the seed");

    IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class, () -> build(new BuildRequest("m",
        base.traces(), List.of(), List.of(new BuildRequest.MixIn(chat, 2)), 0.2, "session", null, 7, true, 0.9, 4096, "exclude")));
    assertTrue(tooFew.getMessage().contains("asks for 60") && tooFew.getMessage().contains("at most 1.333"), tooFew.getMessage());
  }

  @Test
  void nearDuplicateTracesAreRemovedBeforeTheSplitAndReported() {
    // About 500 words, repeated through the conversation; one word differs (true Jaccard about 0.95).
    String request = IntStream.range(1, 41).mapToObj(Examples::request).collect(Collectors.joining(" "));
    traces.add(Examples.trace(request, "s1", null, "2026-11-01T10:00:00Z"));
    traces.add(Examples.trace(request.replaceFirst("inspect", "examine"), "s2", null, "2026-11-02T10:00:00Z"));
    traces.add(Examples.trace(Examples.request(9), "s3", null, "2026-11-03T10:00:00Z"));
    BuildResult deduped = build(new BuildRequest("dups", TraceFilter.ALL, List.of(), List.of(), 0, "none", null, 0, true, 0.9, 32768, "exclude"));
    assertEquals(2, deduped.counts().train());
    assertEquals(1, deduped.duplicates().near());
    assertTrue(deduped.duplicates().removed().get(0).similarity() >= 0.9);

    BuildRequest off = new BuildRequest("no-dedupe", TraceFilter.ALL, List.of(), List.of(), 0, "none", null, 0, false, 0.9, 32768, "exclude");
    assertEquals(3, build(off).counts().train());
    BuildRequest exactOnly = new BuildRequest("exact", TraceFilter.ALL, List.of(), List.of(), 0, "none", null, 0, true, Double.NaN, 32768, "exclude");
    assertEquals(3, build(exactOnly).counts().train());
  }

  @Test
  void invalidTracesAreLeftOutKeptOrFailTheBuild() {
    addTraces();
    traces.add(new Trace(null, List.of(
        TraceMessage.user("delete everything"),
        TraceMessage.assistant("", null, List.of(new TraceToolCall("x", "rm_rf", Examples.json("{}")))),
        TraceMessage.tool("x", "rm_rf", "gone"),
        TraceMessage.assistant("Done.", null, List.of())), List.of(Examples.json(Examples.READ_FILE_TOOL)),
        new TraceMetadata("Brenner", "test", "s-bad", List.of(), null, null, null, List.of())));
    BuildResult excluded = build(request("checked"));
    assertEquals(30, excluded.counts().train() + excluded.counts().eval());
    assertEquals(1, excluded.counts().invalidExcluded());
    assertEquals(Map.of(DatasetValidator.UNKNOWN_TOOL, 1), excluded.invalid().problemsByKind());

    BuildRequest r = request("kept");
    BuildResult kept = build(new BuildRequest(r.name(), r.traces(), List.of(), List.of(), 0.2, "session", null, 0, true, 0.9, 4096, "keep"));
    assertEquals(31, kept.counts().train() + kept.counts().eval());
    assertEquals(1, kept.counts().invalidKept());

    IllegalArgumentException failed = assertThrows(IllegalArgumentException.class, () ->
        build(new BuildRequest("fail", r.traces(), List.of(), List.of(), 0.2, "session", null, 0, true, 0.9, 4096, "fail")));
    assertTrue(failed.getMessage().contains("rm_rf"), failed.getMessage());
    assertFalse(Files.exists(workspace.datasetsDir().resolve("fail").resolve("x")));
  }

  @Test
  void badNamesAndParametersAreRefusedWithTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> request("Agent Tools"));
    assertTrue(e.getMessage().contains("a-z, 0-9"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> with(request("ok"), 1.0, "session", null, 0));
    assertThrows(IllegalArgumentException.class, () -> with(request("ok"), 0.1, "agent", null, 0));
    assertThrows(IllegalArgumentException.class, () -> builder.store().resolve("nothing-here"));
    addTraces();
    BuildResult result = build(request("real"));
    IllegalArgumentException version = assertThrows(IllegalArgumentException.class, () -> builder.store().resolve("real@0123456789ab"));
    assertTrue(version.getMessage().contains(result.version()), version.getMessage());
  }

  @Test
  void addedExamplesMakeANewVersionAndInvalidOnesAreRefused() {
    addTraces();
    BuildResult built = build(request("grow"));
    JsonNode good = Examples.json(Examples.goldLine("b4-7"));
    JsonNode bad = Examples.json("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    AddResult added = builder.addExamples("grow", List.of(good, bad, Examples.json("{\"nope\": 1}")), tokens, 4096,
        ToolContext.detached("test"));
    assertTrue(added.created());
    assertNotEquals(built.version(), added.version());
    assertEquals(built.version(), added.previousVersion());
    assertEquals(1, added.added());
    assertEquals(List.of(1, 2), added.refused().stream().map(AddResult.Refused::index).toList());
    assertEquals(DatasetValidator.BAD_ROLE_ORDER, added.refused().get(0).problems().get(0).kind());
    assertEquals(built.counts().train() + 1, added.counts().train());
    assertEquals(built.counts().eval(), added.counts().eval());
    DatasetStore.VersionRef latest = builder.store().resolve("grow");
    assertEquals(added.version(), latest.version());
    assertEquals(split(built, DatasetStore.EVAL), builder.store().examples(latest, DatasetStore.EVAL));
    // The earlier version is untouched.
    assertEquals(built.counts().train(), split(built, DatasetStore.TRAIN).size());
    JsonNode manifest = builder.store().manifest(builder.store().resolve("grow"));
    assertEquals("grow@" + built.version(), manifest.at("/sources/base").asString());
    assertEquals(30, manifest.at("/sources/trace_ids").size());

    AddResult again = builder.addExamples("grow", List.of(good), tokens, 4096, ToolContext.detached("test"));
    assertFalse(again.created());
    assertEquals(added.version(), again.version());
    assertEquals(List.of(added.addedIds().get(0)), again.alreadyPresent());

    AddResult fresh = builder.addExamples("new-set", List.of(good), tokens, 4096, ToolContext.detached("test"));
    assertTrue(fresh.created());
    assertEquals(1, fresh.counts().train());
    assertEquals(0, fresh.counts().eval());
  }
}
