package net.b4mad.successor.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.beads.NewBead;
import net.b4mad.successor.eval.CaseResult;
import net.b4mad.successor.eval.EvalReport;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraAdapter;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.lora.TrainableLora;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The model tools through their handlers, on fake training and eval jobs (store rows plus run folders, as the worker
 * leaves them) around a real tiny base model and random adapters; outputs checked against their schemas.
 */
class ModelsAreaTest {

  private static final List<String> SUITES = List.of("/suites/b4mad/delegation.jsonl");
  private static final int[] TOKENS = {3, 17, 256, 999, 42, 7, 511};

  @TempDir Path dir;
  Workspace workspace;
  JobStore jobs;
  EmbeddedBeads beads;
  ModelsArea area;
  Path base;
  Path dataset;

  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  @BeforeEach
  void setUp() throws Exception {
    base = ModelDiscoveryTest.model(dir.resolve("zoo/tiny")).toRealPath();
    workspace = Workspace.open(dir.resolve("ws"), List.of(dir.resolve("zoo")));
    jobs = new JobStore(workspace.store());
    beads = new EmbeddedBeads(workspace.root());
    area = new ModelsArea(workspace, beads, dir.resolve("no-hf-cache"));
    dataset = workspace.datasetsDir().resolve("tools/abc123def456");
  }

  private Map<String, Object> call(String tool, Map<String, Object> arguments) throws Exception {
    ToolDefinition definition = area.tools().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow();
    var inputCheck = validator.validate(Json.toMap(Json.MAPPER.readTree(definition.inputSchema())), arguments);
    assertTrue(inputCheck.valid(), tool + " refused " + arguments + ": " + inputCheck.errorMessage());
    Map<String, Object> result = Json.toMap(definition.handler().call(new ToolCall(arguments, ToolContext.detached(tool))));
    var outputCheck = validator.validate(Json.toMap(Json.MAPPER.readTree(definition.outputSchema())), result);
    assertTrue(outputCheck.valid(), tool + ": " + outputCheck.errorMessage() + " in " + result);
    return result;
  }

  private String refusal(String tool, Map<String, Object> arguments) {
    return assertThrows(ToolException.class, () -> call(tool, arguments)).getMessage();
  }

  /** A succeeded training job as the worker leaves it: row, config.json, result.json and a random adapter. */
  private Path trained(String id, String kind, Path continuedFrom, String beadId) {
    Path runDir = workspace.runsDir().resolve(id);
    ObjectNode settings = Json.MAPPER.createObjectNode()
        .put("method", kind).put("model", base.toString()).put("dataset", dataset.toString()).put("rank", 4);
    if (continuedFrom != null) {
      settings.put("adapter", continuedFrom.toString());
    }
    TrainingConfig config = TrainingConfig.fromJson(settings);
    AtomicFiles.writeStringUnchecked(runDir.resolve("config.json"), Json.writePretty(config));
    AtomicFiles.writeStringUnchecked(runDir.resolve("result.json"),
        "{\"status\": \"completed\", \"step\": 2, \"total_steps\": 2, \"metrics\": {\"loss\": 1.25}}");
    Path adapter = runDir.resolve("adapter");
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(
          new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj", "down_proj"), false, base.toString()), id.hashCode(), manager);
      try (Qwen3Model model = Qwen3Model.load(base, manager, lora)) {
        lora.parameters().forEach((key, p) ->
            p.set(manager.randomNormal(0, 0.05f, p.getShape(), p.getDataType()).toFloatArray()));
        lora.saveAtomically(adapter);
      }
    }
    jobs.enqueue(id, new JobSpec(kind, Json.MAPPER.valueToTree(config), 0, beadId), runDir.toString());
    jobs.finish(id, JobState.SUCCEEDED, null, "trained");
    return adapter;
  }

  /** A finished eval job of the base (adapter null) or an adapter, whose cases pass as given. */
  private void evaluated(String id, Path adapter, List<String> suites, boolean... passes) {
    Path runDir = workspace.evalsDir().resolve(id);
    ObjectNode settings = Json.MAPPER.createObjectNode().put("model", base.toString());
    if (adapter != null) {
      settings.put("adapter", adapter.toString());
    }
    settings.set("suites", Json.MAPPER.valueToTree(suites));
    JobSpec spec = new JobSpec("eval", settings, 0, null);
    spec.write(runDir);
    List<CaseResult> cases = new ArrayList<>();
    for (int i = 0; i < passes.length; i++) {
      cases.add(new CaseResult("b4mad/delegation", "d-" + i, i % 2 == 0 ? "delegation" : "mcp_tool_calling",
          "tool_calls", passes[i], true, true, passes[i], passes[i] ? null : "wrong call", null, "output", null));
    }
    AtomicFiles.writeStringUnchecked(runDir.resolve("report.json"),
        Json.writePretty(EvalReport.of(cases.size(), false, cases)));
    jobs.enqueue(id, spec, runDir.toString());
    jobs.finish(id, JobState.SUCCEEDED, null, "evaluated");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> named(Object entries, String name) {
    return ((List<Map<String, Object>>) entries).stream().filter(e -> e.get("name").equals(name)).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Test
  void listsBaseModelsAndAdaptersWithTheirLineage() throws Exception {
    String bead = beads.create(new NewBead("SFT run", "task", 2, "", List.of("successor"), List.of(), null)).id();
    Path sft = trained("sft-1", "sft", null, bead);
    trained("dpo-2", "dpo", sft, null);
    evaluated("eval-1", sft, SUITES, true, true, false, false);
    evaluated("eval-base", null, SUITES, true, false, false, false);

    Map<String, Object> listed = call("models_list", Map.of());
    List<?> adapters = (List<?>) listed.get("adapters");
    assertEquals(List.of("dpo-2", "sft-1"), adapters.stream().map(a -> map(a).get("name")).toList(), "newest first");
    Map<String, Object> first = named(adapters, "sft-1");
    assertEquals(base.toString(), first.get("base_model"));
    assertEquals(dataset.toString(), first.get("dataset"));
    assertEquals("tools@abc123def456", first.get("dataset_version"));
    assertEquals(bead, first.get("bead_id"));
    assertEquals(sft.toString(), first.get("path"));
    assertEquals(4, first.get("rank"));
    assertEquals(2, first.get("steps"));
    assertEquals(1.25, map(first.get("metrics")).get("loss"));
    assertEquals(false, first.get("production"));
    Map<String, Object> eval = map(((List<?>) first.get("evals")).get(0));
    assertEquals("eval-1", eval.get("eval_id"));
    assertEquals(0.5, eval.get("pass_rate"));
    assertEquals(4, eval.get("cases"));
    Map<String, Object> second = named(adapters, "dpo-2");
    assertEquals(sft.toString(), second.get("continued_from"));
    assertEquals("sft-1", second.get("continued_from_run"));
    assertEquals("dpo", second.get("kind"));
    assertEquals(List.of(), second.get("evals"));

    Map<String, Object> tiny = named(listed.get("base_models"), "tiny");
    assertEquals("allowed_dir", tiny.get("source"));
    assertEquals(true, tiny.get("loadable"));
    assertEquals(List.of("eval-base"), ((List<?>) tiny.get("evals")).stream().map(e -> map(e).get("eval_id")).toList());
    assertNull(listed.get("production"));
    assertTrue(listed.get("searched").toString().contains("no Hugging Face cache there"), listed.get("searched").toString());
  }

  @Test
  void promotesThroughTheGateAndRollsBack() throws Exception {
    String bead = beads.create(new NewBead("SFT run", "task", 2, "", List.of("successor"), List.of(), null)).id();
    Path sft = trained("sft-1", "sft", null, bead);
    Path dpo = trained("dpo-2", "dpo", sft, null);

    String noEval = refusal("model_promote", Map.of("adapter", "sft-1"));
    assertTrue(noEval.contains("no finished eval of sft-1") && noEval.contains("eval_run {\"model\":")
        && noEval.contains(sft.toString()), noEval);

    evaluated("eval-1", sft, SUITES, true, true, false, false);
    Map<String, Object> first = call("model_promote", Map.of("adapter", "sft-1"));
    Map<String, Object> production = map(first.get("production"));
    assertEquals("sft-1", production.get("name"));
    assertEquals("eval-1", production.get("candidate_eval"));
    assertNull(first.get("previous"));
    assertTrue(first.get("reasons").toString().contains("the first production"), first.toString());
    assertTrue(beads.show(bead).notes().contains("Promoted to production"), beads.show(bead).notes());
    assertTrue(refusal("model_promote", Map.of("adapter", sft.toString())).contains("production already"));

    evaluated("eval-2", dpo, SUITES, true, false, false, false);
    String worse = refusal("model_promote", Map.of("adapter", "dpo-2"));
    assertTrue(worse.startsWith("not promoted: dpo-2 does not pass the gate against production sft-1 (eval eval-2 vs"
        + " eval-1)"), worse);
    assertTrue(worse.contains("below the margin") && worse.contains("category mcp_tool_calling regresses"), worse);
    String wrongEval = refusal("model_promote", Map.of("adapter", "dpo-2", "production_eval", "eval-2"));
    assertTrue(wrongEval.contains("production_eval: eval eval-2 evaluated") && wrongEval.contains("not sft-1"), wrongEval);

    List<String> otherSuites = List.of("/suites/b4mad/bead_operations.jsonl");
    evaluated("eval-3", dpo, otherSuites, true, true, true, true);
    String unpaired = refusal("model_promote", Map.of("adapter", "dpo-2", "candidate_eval", "eval-3"));
    assertTrue(unpaired.contains("no finished eval of production sft-1 on the candidate eval's suites")
        && unpaired.contains("\"suites\":[\"/suites/b4mad/bead_operations.jsonl\"]"), unpaired);

    evaluated("eval-4", dpo, SUITES, true, true, true, false);
    Map<String, Object> better = call("model_promote", Map.of("adapter", "dpo-2", "candidate_eval", "eval-4"));
    Map<String, Object> promoted = map(better.get("production"));
    assertEquals("dpo-2", promoted.get("name"));
    assertEquals("eval-1", promoted.get("production_eval"));
    assertEquals(map(better.get("previous")).get("id"), promoted.get("replaces"));
    assertEquals(0.02, map(promoted.get("gate")).get("min_margin"));
    assertTrue(better.get("reasons").toString().contains("at least the margin"), better.toString());
    assertNotNull(better.get("comparison"));
    Map<String, Object> listed = call("models_list", Map.of());
    assertEquals(true, named(listed.get("adapters"), "dpo-2").get("production"));
    assertEquals(false, named(listed.get("adapters"), "sft-1").get("production"));

    Map<String, Object> rolled = call("model_rollback", Map.of("reason", "worse in use"));
    assertEquals("sft-1", map(rolled.get("production")).get("name"));
    assertEquals("rollback", map(rolled.get("production")).get("action"));
    assertEquals("dpo-2", map(rolled.get("rolled_back")).get("name"));
    assertTrue(rolled.get("production").toString().contains("worse in use"));
    assertTrue(refusal("model_rollback", Map.of()).contains("first production"));

    McpSchema.ReadResourceResult resource = area.resources().get(0).readHandler()
        .apply(null, new McpSchema.ReadResourceRequest(ModelsArea.PRODUCTION_URI));
    var json = Json.MAPPER.readTree(((McpSchema.TextResourceContents) resource.contents().get(0)).text());
    assertEquals("sft-1", json.path("production").path("name").asString());
    assertEquals(List.of("rollback", "promote", "promote"),
        json.path("history").valueStream().map(entry -> entry.path("action").asString()).toList());
  }

  @Test
  void aBaseModelCanBeProduction() throws Exception {
    evaluated("eval-base", null, SUITES, true, false, true, false);
    Map<String, Object> promoted = call("model_promote", Map.of("model", base.toString()));
    assertEquals("tiny", map(promoted.get("production")).get("name"));
    assertNull(map(promoted.get("production")).get("adapter"));
    assertEquals(true, named(call("models_list", Map.of()).get("base_models"), "tiny").get("production"));
  }

  @Test
  void exportsTheAdapterFolderAndAMergedModel() throws Exception {
    Path sft = trained("sft-1", "sft", null, null);
    evaluated("eval-1", sft, SUITES, true, true, false, false);
    call("model_promote", Map.of("adapter", "sft-1"));

    Map<String, Object> folder = call("model_export", Map.of("adapter", "sft-1"));
    Path exported = workspace.modelsDir().resolve("exports/sft-1");
    assertEquals(exported.toString(), folder.get("path"));
    assertEquals(List.of("README.md", "adapter_config.json", "adapter_model.safetensors"), folder.get("files"));
    assertArrayEquals(Files.readAllBytes(sft.resolve(LoraAdapter.WEIGHTS_FILE)),
        Files.readAllBytes(exported.resolve(LoraAdapter.WEIGHTS_FILE)));
    String card = Files.readString(exported.resolve("README.md"));
    for (String expected : List.of("base_model: \"" + base + "\"", "library_name: peft", "tools@abc123def456",
        "Training run: `sft-1` (sft, 2 steps, loss 1.250)", "| `eval-1` | delegation.jsonl | 4 | 0.500 | succeeded |",
        "Production: yes", "vllm serve")) {
      assertTrue(card.contains(expected), expected + " in\n" + card);
    }
    Map<String, Object> serve = map(folder.get("serve"));
    assertTrue(serve.get("vllm").toString().contains("--enable-lora --lora-modules sft-1=" + exported), serve.toString());
    assertTrue(serve.get("transformers").toString().contains("PeftModel.from_pretrained"), serve.toString());
    assertTrue(serve.get("llama_cpp").toString().contains("convert_lora_to_gguf.py " + exported), serve.toString());

    assertTrue(refusal("model_export", Map.of("adapter", "sft-1")).contains("pass force: true"));
    call("model_export", Map.of("adapter", "sft-1", "force", true));
    assertTrue(refusal("model_export", Map.of("adapter", "sft-1", "dtype", "bf16", "name", "x")).contains("merged: true"));

    Map<String, Object> merged = call("model_export", Map.of("adapter", "sft-1", "merged", true, "dtype", "f32"));
    Path mergedDir = workspace.modelsDir().resolve("exports/sft-1-merged");
    assertEquals(mergedDir.toString(), merged.get("path"));
    assertEquals("F32", merged.get("dtype"));
    assertTrue(((List<?>) merged.get("files")).containsAll(List.of("README.md", "config.json", "model.safetensors",
        "tokenizer.json")), merged.toString());
    assertTrue(map(merged.get("serve")).get("llama_cpp").toString()
        .startsWith("python convert_hf_to_gguf.py " + mergedDir + " --outfile sft-1-merged.gguf --outtype f32"));
    assertTrue(Files.readString(mergedDir.resolve("README.md")).contains("library_name: transformers"));
    try (Qwen3Model withAdapter = LoraAdapter.loadModel(base, sft);
        Qwen3Model folded = Qwen3Model.load(mergedDir)) {
      assertArrayEquals(withAdapter.score(TOKENS), folded.score(TOKENS), 1e-4);
    }

    List<?> exports = (List<?>) call("models_list", Map.of()).get("exports");
    assertEquals(2, exports.size());
    assertEquals(2L, workspace.store().count("models"));
    Map<String, Object> merge = named(exports, "sft-1-merged");
    assertEquals("sft-1", merge.get("run_id"));
    assertEquals(true, merge.get("exists"));
    assertTrue(named(call("models_list", Map.of()).get("base_models"), "exports/sft-1-merged").get("loadable")
        .equals(true), "the merged model is a base model of the workspace now");
  }
}
