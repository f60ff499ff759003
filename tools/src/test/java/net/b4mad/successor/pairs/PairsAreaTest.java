package net.b4mad.successor.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.datasets.DatasetExample;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.jobs.JobWorker;
import net.b4mad.successor.jobs.TrackingBeads;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** preference_pairs_build through its handler: what it queues, what it refuses, and the job's bead. */
class PairsAreaTest {

  @TempDir Path dir;
  Workspace workspace;
  EmbeddedBeads beads;
  JobQueue queue;
  PairsJobRunner runner;
  PairsArea area;
  Path suite;
  Path model;

  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  @BeforeEach
  void setUp() throws Exception {
    workspace = Workspace.open(dir.resolve("ws"), List.of(dir));
    beads = new EmbeddedBeads(workspace.root());
    runner = new PairsJobRunner(workspace, settings -> new PairsJobRunnerTest.ScriptedSampler());
    queue = new JobQueue(workspace, () -> {}, new TrackingBeads(beads, new JobStore(workspace.store())), List.of(runner));
    area = new PairsArea(workspace, queue);
    suite = dir.resolve("My Suite.jsonl");
    Files.write(suite, PairsJobRunnerTest.SUITE.stream().map(line -> line.replace("\n", " ")).toList());
    model = Files.createDirectories(dir.resolve("model"));
  }

  private Map<String, Object> call(Map<String, Object> arguments) throws Exception {
    ToolDefinition tool = area.tools().get(0);
    var input = validator.validate(Json.toMap(Json.MAPPER.readTree(tool.inputSchema())), arguments);
    assertTrue(input.valid(), input.errorMessage());
    Map<String, Object> result = Json.toMap(tool.handler().call(new ToolCall(arguments, ToolContext.detached(tool.name()))));
    var output = validator.validate(Json.toMap(Json.MAPPER.readTree(tool.outputSchema())), result);
    assertTrue(output.valid(), output.errorMessage() + " in " + result);
    return result;
  }

  private String refusal(Map<String, Object> arguments) {
    return assertThrows(ToolException.class, () -> call(arguments)).getMessage();
  }

  private Map<String, Object> with(Map<String, Object> extra) {
    Map<String, Object> arguments = new HashMap<>(Map.of("model", model.toString()));
    arguments.putAll(extra);
    return arguments;
  }

  @Test
  void itQueuesAJobWhoseBeadClosesWithHowManyPromptsYieldedAPair() throws Exception {
    Map<String, Object> queued = call(with(Map.of("suite", suite.toString())));

    assertEquals("queued", queued.get("state"));
    assertEquals("my-suite-pairs", queued.get("dataset"));
    assertEquals(3, queued.get("prompts"));
    assertEquals(1, queued.get("episodes_skipped"));
    String id = queued.get("job_id").toString();
    assertTrue(id.startsWith("pairs-"), id);
    assertEquals(workspace.runsDir().resolve(id).toString(), queued.get("run_dir"));

    assertEquals(1, new JobWorker(workspace, List.of(runner), queue.beads(), line -> {}).drain());

    assertEquals(JobState.SUCCEEDED, queue.store().require(id).state());
    Bead bead = beads.show(queued.get("bead_id").toString());
    assertTrue(bead.title().startsWith("Preference pairs " + id), bead.title());
    assertEquals("closed", bead.status());
    assertTrue(bead.closeReason().startsWith("1 of 3 prompts yielded a pair"), bead.closeReason());
    assertTrue(new DatasetStore(workspace).latest("my-suite-pairs").isPresent());
  }

  @Test
  void aDatasetVersionIsReadByItsReference() throws Exception {
    DatasetStore store = new DatasetStore(workspace);
    String version;
    try (DatasetStore.Draft draft = store.draft("chats")) {
      draft.writeSplit(DatasetStore.TRAIN, List.of(DatasetExample.fromJson(Json.MAPPER.readTree("""
          {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"},
           {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Bye!"}]}"""), "c1")));
      draft.writeSplit(DatasetStore.EVAL, List.of());
      version = "0123456789ab";
      draft.commit(version, "{}", Instant.now());
    }

    Map<String, Object> queued = call(with(Map.of("dataset", "chats@latest", "samples", 2, "name", "hello-pairs")));

    assertEquals("chats@" + version, queued.get("source"));
    assertEquals("hello-pairs", queued.get("dataset"));
    assertEquals(2, queued.get("prompts"));
    assertTrue(refusal(with(Map.of("dataset", "chats@latest", "split", "eval"))).contains("there are no prompts"));
  }

  @Test
  void itRefusesWhatCannotYieldPairsAndSaysWhy() throws Exception {
    assertTrue(refusal(with(Map.of())).contains("give either suite"));
    assertTrue(refusal(with(Map.of("suite", suite.toString(), "dataset", "x"))).contains("not both"));
    assertTrue(refusal(with(Map.of("suite", suite.toString(), "samples", 1))).contains("use_gold_when_none_pass"));
    assertTrue(refusal(with(Map.of("suite", suite.toString(), "temperature", 0))).contains("greedy"));
    assertTrue(refusal(with(Map.of("suite", suite.toString(), "name", "Bad Name"))).contains("dataset name"));
    assertTrue(refusal(with(Map.of("dataset", "nothing-here"))).contains("neither a dataset"));
    Path episodes = Files.write(dir.resolve("episodes.jsonl"), List.of(PairsJobRunnerTest.SUITE.get(3).replace("\n", " ")));
    assertTrue(refusal(with(Map.of("suite", episodes.toString()))).contains("1 episode case(s) were left out"));
    assertEquals("b4mad-delegation-pairs", PairsArea.pairsName("b4mad/delegation"));
  }
}
