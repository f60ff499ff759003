package net.b4mad.successor.pairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.dpo.PreferencePair;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.jobs.JobRunner;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.train.TrainingRun;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pairs jobs with scripted answers (which pair each prompt yields, the scores, the dataset version), and once with
 * a tiny random model whose pairs then train with DPO.
 */
class PairsJobRunnerTest {

  static final String BEAD_UPDATE = """
      {"type": "function", "function": {"name": "bead_update", "description": "Change a bead.", "parameters":
        {"type": "object", "properties": {"id": {"type": "string"}, "status": {"type": "string"}}, "required": ["id"]}}}""";

  static final String DELEGATE = """
      {"type": "function", "function": {"name": "delegate_task", "description": "Hand work to an agent.",
        "parameters": {"type": "object", "properties": {"agent": {"type": "string"}, "task": {"type": "string"}},
        "required": ["agent", "task"]}}}""";

  /** Three single-turn cases and an episode, whose user messages the scripted sampler answers by. */
  static final List<String> SUITE = List.of(
      """
      {"id": "start", "category": "beads", "messages": [{"role": "user", "content": "Starting on b4-17."}],
       "tools": [%s], "expect": {"tool_calls": [{"name": "bead_update", "arguments": {"id": ["b4-17"],
         "status": ["in_progress"]}}]}}""".formatted(BEAD_UPDATE),
      """
      {"id": "chat", "category": "beads", "messages": [{"role": "user", "content": "What is a bead?"}],
       "tools": [%s], "expect": {"no_call": true}}""".formatted(BEAD_UPDATE),
      """
      {"id": "report", "category": "delegation", "messages": [{"role": "user", "content": "Write the Q3 report."}],
       "tools": [%s], "expect": {"delegate": "romanov"},
       "gold": {"role": "assistant", "content": "Romanov writes reports.", "tool_calls": [{"type": "function",
         "function": {"name": "delegate_task", "arguments": {"agent": "romanov", "task": "Q3 report"}}}]}}"""
          .formatted(DELEGATE),
      """
      {"id": "episode", "category": "beads", "messages": [{"role": "user", "content": "Close b4-1."}],
       "tools": [{"type": "function", "function": {"name": "bead_close", "parameters": {"type": "object",
         "properties": {"id": {"type": "string"}, "reason": {"type": "string"}}}}}],
       "expect": {"episode": {"beads": [{"id": "b4-1", "title": "Crash"}], "final": [{"id": "b4-1", "status": "closed"}]}}}""");

  static String call(String name, String arguments) {
    return "<tool_call>\n{\"name\": \"" + name + "\", \"arguments\": " + arguments + "}\n</tool_call>";
  }

  /** Four answers to each prompt, in order. */
  static final Map<String, List<String>> ANSWERS = Map.of(
      "Starting on b4-17.", List.of(
          "I will look into it.",                                                   // no call: 0.25
          call("bead_update", "{\"id\": \"b4-17\", \"status\": \"in_progress\"}"),  // passes
          "<tool_call>\n{\"name\": \"bead_update\", \"arguments\": {oops\n</tool_call>", // broken JSON: 0
          call("bead_update", "{\"id\": \"B4-17\", \"status\": \"in progress\"}")), // passes too (normalised)
      "What is a bead?", List.of("An issue.", "A tracked issue.", "A bead is an issue.", "An issue in beads."),
      "Write the Q3 report.", List.of(
          call("delegate_task", "{\"agent\": \"brenner\", \"task\": \"Q3 report\"}"), // wrong agent: 0.5
          "I will write it myself.",                                                  // no delegation: 0.25
          call("delegate_task", "{\"agent\": \"lotti\", \"task\": \"Q3 report\"}"),
          "Sure."));

  /** Answers each prompt from {@link #ANSWERS} in turn and records the seeds it was given. */
  static final class ScriptedSampler implements PairsJobRunner.Sampler {
    final Map<String, Deque<String>> left = new HashMap<>();
    final List<Long> seeds = new ArrayList<>();

    ScriptedSampler() {
      ANSWERS.forEach((prompt, answers) -> left.put(prompt, new ArrayDeque<>(answers)));
    }

    @Override
    public String sample(Conversation conversation, SamplingSettings sampling, java.util.function.BooleanSupplier stop) {
      List<ChatMessage> messages = conversation.messages();
      seeds.add(sampling.seed());
      return left.get(messages.get(messages.size() - 1).content()).removeFirst() + "<|im_end|>";
    }

    @Override
    public void close() {}
  }

  static final JobRunner.Control CONTROL = new JobRunner.Control() {
    @Override
    public boolean stopRequested() {
      return false;
    }

    @Override
    public void log(String line) {}
  };

  @TempDir Path dir;
  Workspace workspace;
  Path suite;

  @BeforeEach
  void setUp() throws Exception {
    workspace = Workspace.open(dir.resolve("ws"), List.of());
    suite = dir.resolve("suite.jsonl");
    Files.write(suite, SUITE.stream().map(line -> line.replace("\n", " ")).toList());
  }

  private ObjectNode settings(Map<String, Object> extra) {
    ObjectNode settings = Json.MAPPER.createObjectNode().put("model", dir.resolve("no-model").toString())
        .put("source", "suite").put("name", "suite-pairs").put("samples", 4);
    settings.putArray("suites").add(suite.toString());
    extra.forEach((key, value) -> settings.set(key, Json.MAPPER.valueToTree(value)));
    return settings;
  }

  private JobRunner.Outcome run(PairsJobRunner runner, ObjectNode settings, String id) throws Exception {
    JobSpec spec = new JobSpec(PairsJobRunner.KIND, settings, 0, null);
    runner.check(spec);
    return runner.run(spec, Files.createDirectories(workspace.runsDir().resolve(id)), false, CONTROL);
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(Json.MAPPER.readTree(line));
    }
    return lines;
  }

  @Test
  void aPromptWithPassingAndFailingAnswersPairsTheBestPassingWithTheWorstFailing() throws Exception {
    ScriptedSampler sampler = new ScriptedSampler();
    JobRunner.Outcome outcome = run(new PairsJobRunner(workspace, settings -> sampler), settings(Map.of()), "pairs-1");

    assertEquals(JobState.SUCCEEDED, outcome.state());
    assertTrue(outcome.summary().startsWith("1 of 3 prompts yielded a pair (1 all passed, 1 all failed)"), outcome.summary());
    DatasetStore.VersionRef version = new DatasetStore(workspace).resolve("suite-pairs@latest");
    assertTrue(outcome.summary().endsWith("dataset " + version.ref()), outcome.summary());
    List<JsonNode> pairs = lines(version.file("train"));
    assertEquals(1, pairs.size());
    JsonNode pair = pairs.get(0);
    assertEquals("suite/start", pair.get("id").asString());
    assertEquals("Starting on b4-17.", pair.at("/prompt/0/content").asString());
    assertEquals("bead_update", pair.at("/tools/0/function/name").asString());
    assertEquals(Json.MAPPER.readTree("{\"id\": \"b4-17\", \"status\": \"in_progress\"}"),
        pair.at("/chosen/tool_calls/0/function/arguments"), "sample 1: the first of the two passing ones");
    assertEquals("assistant", pair.at("/rejected/role").asString());
    assertTrue(pair.at("/rejected/content").asString().contains("{oops"),
        "the broken answer (score 0) is rejected as the model wrote it: " + pair.get("rejected"));
    assertEquals(1.0, pair.at("/scores/chosen").asDouble());
    assertEquals(0.0, pair.at("/scores/rejected").asDouble());
    assertEquals("sample", pair.get("chosen_from").asString());
    PreferencePair read = PreferencePair.parse(pair, "train.jsonl:1");
    assertEquals(2, read.chosen().messages().size());
    assertEquals("bead_update", read.chosen().messages().get(1).toolCalls().get(0).name());

    JsonNode manifest = Json.readTree(version.manifest());
    assertEquals(3, manifest.get("prompts").asInt());
    assertEquals(1, manifest.get("prompts_with_pair").asInt());
    assertEquals(1, manifest.get("episodes_skipped").asInt());
    assertEquals(1, manifest.at("/counts/train").asInt());
    assertEquals(1, manifest.at("/categories/beads/all_passed").asInt());
    assertEquals(1, manifest.at("/categories/delegation/all_failed").asInt());
    assertEquals(0.8, manifest.at("/recipe/sampling/temperature").asDouble());
    assertEquals(0, Files.size(version.file("eval")));
    JsonNode result = Json.readTree(workspace.runsDir().resolve("pairs-1").resolve(RunDirectory.RESULT));
    assertEquals(version.ref(), result.get("ref").asString());
    assertTrue(result.get("created").asBoolean());
    assertEquals(3, RunDirectory.metrics(workspace.runsDir().resolve("pairs-1")).size(), "a metrics line per prompt");

    assertEquals(12, sampler.seeds.size());
    assertEquals(12, sampler.seeds.stream().distinct().count(), "every sample has its own seed");
    ScriptedSampler again = new ScriptedSampler();
    JobRunner.Outcome rerun = run(new PairsJobRunner(workspace, settings -> again), settings(Map.of()), "pairs-2");
    assertEquals(sampler.seeds, again.seeds, "the same settings sample with the same seeds");
    assertFalse((Boolean) rerun.result().get("created"), "the same pairs and recipe are the same version");
  }

  @Test
  void theGoldAnswerStandsInWhenNoSamplePasses() throws Exception {
    JobRunner.Outcome outcome = run(new PairsJobRunner(workspace, settings -> new ScriptedSampler()),
        settings(Map.of("use_gold_when_none_pass", true, "name", "gold-pairs")), "pairs-gold");

    assertTrue(outcome.summary().startsWith("2 of 3 prompts yielded a pair (1 all passed, 1 all failed, 1 with the gold"
        + " answer chosen)"), outcome.summary());
    List<JsonNode> pairs = lines(new DatasetStore(workspace).resolve("gold-pairs").file("train"));
    JsonNode report = pairs.get(1);
    assertEquals("suite/report", report.get("id").asString());
    assertEquals("gold", report.get("chosen_from").asString());
    assertEquals("Romanov writes reports.", report.at("/chosen/content").asString());
    assertEquals("romanov", report.at("/chosen/tool_calls/0/function/arguments/agent").asString());
    assertEquals("I will write it myself.", report.at("/rejected/content").asString(),
        "the worst failure: no delegation (0.25, the first of two) ranks below one to the wrong agent (0.5)");
    assertEquals(0.25, report.at("/scores/rejected").asDouble());
  }

  @Test
  void noPairsWritesNoVersionAndSaysWhatToChange() throws Exception {
    PairsJobRunner.Sampler alwaysRight = new PairsJobRunner.Sampler() {
      @Override
      public String sample(Conversation conversation, SamplingSettings sampling, java.util.function.BooleanSupplier stop) {
        return "Fine.";
      }

      @Override
      public void close() {}
    };
    JobRunner.Outcome outcome = run(new PairsJobRunner(workspace, settings -> alwaysRight),
        settings(Map.of("limit", 2, "samples", 2)), "pairs-none");

    assertEquals(JobState.SUCCEEDED, outcome.state());
    assertTrue(outcome.summary().startsWith("0 of 2 prompts yielded a pair (1 all passed, 1 all failed); no dataset"
        + " written"), outcome.summary());
    assertTrue(new DatasetStore(workspace).latest("suite-pairs").isEmpty());
  }

  /** A random Qwen3 with the 8k-merge tokenizer, small enough to sample from and train in a unit test. */
  static Path tinyModel(Path at) {
    Path fixtures = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures");
    TokenizerFiles tokenizer = TokenizerFiles.find(fixtures.resolve("qwen3-tokenizer-8k"));
    Qwen3Config config = new Qwen3Config(tokenizer.vocabSize(), 64, 128, 2, 4, 2, 16, 1e-6, 1_000_000.0, true,
        4096, "float32", tokenizer.addedTokenId("<|endoftext|>"), List.of(tokenizer.addedTokenId("<|im_end|>")));
    RandomQwen3.write(at, config, 11, tokenizer, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    return at;
  }

  /** The whole way with a real model: dataset turns as prompts, sampled answers, gold where none pass, then DPO. */
  @Test
  void aTinyModelsPairsTrainWithDpo() throws Exception {
    Path model = tinyModel(dir.resolve("tiny"));
    List<String> examples = new ArrayList<>();
    for (String city : List.of("Berlin", "Oslo")) {
      examples.add(Json.write(Map.of("id", city.toLowerCase(), "tools", List.of(Map.of("type", "function", "function",
              Map.of("name", "get_weather", "parameters", Map.of("type", "object", "properties",
                  Map.of("city", Map.of("type", "string")))))),
          "messages", List.of(Map.of("role", "user", "content", "Weather in " + city + "?"),
              Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("type", "function",
                  "function", Map.of("name", "get_weather", "arguments", Map.of("city", city))))),
              Map.of("role", "tool", "content", "{\"temp\": 12}"),
              Map.of("role", "assistant", "content", "It is 12 degrees.")))));
    }
    Path file = Files.write(dir.resolve("weather.jsonl"), examples);
    ObjectNode settings = Json.MAPPER.createObjectNode().put("model", model.toString()).put("dataset", file.toString())
        .put("source", file.toString()).put("name", "weather-pairs").put("samples", 2).put("max_new_tokens", 6)
        .put("use_gold_when_none_pass", true);

    JobRunner.Outcome outcome = run(new PairsJobRunner(workspace), settings, "pairs-tiny");

    assertEquals(4, outcome.result().get("prompts"), outcome.summary());
    int pairs = (Integer) outcome.result().get("prompts_with_pair");
    assertTrue(pairs >= 2, "a random model never makes the weather call, so its gold answer is chosen: " + outcome.summary());
    Path version = Path.of((String) outcome.result().get("path"));
    TrainingConfig dpo = TrainingConfig.fromJson(Json.MAPPER.createObjectNode().put("method", "dpo")
        .put("model", model.toString()).put("dataset", version.toString()).put("rank", 4).put("lr", 5e-3).put("warmup_ratio", 0.0).put("max_steps", 2)
        .put("batch_size", 2).put("grad_accum", 1).put("logging_steps", 1).put("save_steps", 1000)
        .put("eval_steps", 1000));
    TrainingRun.Result trained = TrainingRun.start(dpo, dir.resolve("dpo"), () -> false, line -> {});

    assertEquals("completed", trained.status());
    List<JsonNode> metrics = RunDirectory.metrics(dir.resolve("dpo"));
    assertEquals(Math.log(2), metrics.get(0).get("loss").asDouble(), 1e-4, "DPO starts at ln 2 on these pairs");
    assertNotEquals(metrics.get(0).get("loss").asDouble(), metrics.get(1).get("loss").asDouble());
    assertTrue(Files.isRegularFile(trained.adapter().resolve("adapter_model.safetensors")));
  }
}
