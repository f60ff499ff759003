package net.b4mad.successor.models;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.eval.EvalRuns;
import net.b4mad.successor.eval.EvalRuns.EvalRun;
import net.b4mad.successor.eval.PromotionGate;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.workspace.Workspace;

/**
 * Models: the base models on disk and the adapters trained here with their lineage, the production pointer
 * (promotion through the eval gate, rollback), and exports for serving with vLLM, transformers or llama.cpp.
 */
public final class ModelsArea implements ToolArea {

  public static final String PRODUCTION_URI = "successor://models/production";

  private static final String EVAL_SUMMARY =
      """
      {"type": "object", "properties": {
        "eval_id": {"type": "string"}, "state": {"type": "string"}, "suites": {"type": "array", "items": {"type": "string"}},
        "limit": {"type": ["integer", "null"]}, "cases": {"type": ["integer", "null"]}, "passed": {"type": ["integer", "null"]},
        "pass_rate": {"type": ["number", "null"]}, "cancelled": {"type": "boolean"}, "finished_at": {"type": ["string", "null"]}},
       "required": ["eval_id", "state", "suites"]}""";

  private static final String PROMOTION =
      """
      {"type": "object", "properties": {
        "id": {"type": "integer", "description": "The history entry."}, "at": {"type": "string"},
        "action": {"type": "string", "enum": ["promote", "rollback"]},
        "name": {"type": "string", "description": "The adapter's training job id, or the base model's name."},
        "model": {"type": "string", "description": "The base model directory."},
        "adapter": {"type": ["string", "null"], "description": "The adapter directory; null when a base model is production."},
        "run_id": {"type": ["string", "null"]}, "candidate_eval": {"type": ["string", "null"]},
        "production_eval": {"type": ["string", "null"]},
        "gate": {"type": ["object", "null"], "description": "The gate's settings; null where none applied (first promotion, rollback)."},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "replaces": {"type": ["integer", "null"], "description": "The entry that was production before; model_rollback returns to it."}},
       "required": ["id", "at", "action", "name", "model", "reasons"]}""";

  private static final String MODEL_ARGUMENTS =
      """
      "adapter": {"type": "string", "description": "The adapter: a training job id (models_list shows them) or a PEFT adapter directory."},
      "model": {"type": "string", "description": "A base model directory: the model itself when no adapter is given, else the base of an adapter not trained here."}""";

  private final Workspace workspace;
  private final Beads beads;
  private final Path huggingFaceCache;

  /**
   * @param beads where the training runs' beads are, to note promotions and rollbacks on them
   * @param huggingFaceCache the Hugging Face hub cache ({@link ModelDiscovery#huggingFaceCache})
   */
  public ModelsArea(Workspace workspace, Beads beads, Path huggingFaceCache) {
    this.workspace = workspace;
    this.beads = beads;
    this.huggingFaceCache = huggingFaceCache;
  }

  private JobStore jobs() {
    return new JobStore(workspace.store());
  }

  private ProductionPointer pointer() {
    return new ProductionPointer(workspace.store());
  }

  private Adapters adapters() {
    return new Adapters(workspace, jobs());
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition("models_list", "List models",
            "The models there are: base models on local disk (Hugging Face folders in the workspace's models/, in"
                + " the directories allowed with --allow-dir, and in the Hugging Face cache when it is allowed; never"
                + " downloaded), each with its size, dtype and whether Successor can train on it (and why not); every"
                + " adapter trained here with its lineage (base model, dataset version, training job, bead, the adapter"
                + " it continued from, its evals with pass rates); the exports; and which model is production."
                + " Read-only.",
            """
            {"type": "object", "properties": {
              "depth": {"type": "integer", "minimum": 0, "maximum": 8, "default": 3, "description": "How many folder levels below each searched directory to look for models."}},
             "additionalProperties": false}""",
            """
            {"type": "object", "properties": {
              "production": {"anyOf": [%s, {"type": "null"}]},
              "base_models": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "path": {"type": "string"},
                "source": {"type": "string", "enum": ["workspace", "allowed_dir", "hf_cache"]},
                "revision": {"type": ["string", "null"]}, "model_type": {"type": "string"},
                "parameters": {"type": ["integer", "null"]}, "dtype": {"type": ["string", "null"]}, "bytes": {"type": "integer"},
                "loadable": {"type": "boolean"}, "problem": {"type": ["string", "null"], "description": "Why Successor cannot train on it, and the fix."},
                "evals": {"type": "array", "items": %s}, "production": {"type": "boolean"}},
               "required": ["name", "path", "source", "loadable", "evals", "production"]}},
              "adapters": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string", "description": "The training job id; model_promote and model_export take it as adapter."},
                "path": {"type": "string"}, "kind": {"type": "string"}, "base_model": {"type": "string"},
                "dataset": {"type": "string"}, "dataset_version": {"type": ["string", "null"]},
                "run_id": {"type": "string"}, "bead_id": {"type": ["string", "null"]},
                "continued_from": {"type": ["string", "null"]}, "continued_from_run": {"type": ["string", "null"]},
                "rank": {"type": "integer"}, "steps": {"type": ["integer", "null"]}, "metrics": {"type": "object"},
                "finished_at": {"type": ["string", "null"]}, "evals": {"type": "array", "items": %s},
                "production": {"type": "boolean"}},
               "required": ["name", "path", "kind", "base_model", "dataset", "run_id", "evals", "production"]}},
              "exports": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "path": {"type": "string"}, "base_model": {"type": ["string", "null"]},
                "run_id": {"type": ["string", "null"]}, "created_at": {"type": "string"}, "exists": {"type": "boolean"}}}},
              "searched": {"type": "array", "items": {"type": "object", "properties": {
                "path": {"type": "string"}, "source": {"type": "string"}, "scanned": {"type": "boolean"},
                "note": {"type": ["string", "null"]}}}}},
             "required": ["production", "base_models", "adapters", "exports", "searched"]}"""
                .formatted(PROMOTION, EVAL_SUMMARY, EVAL_SUMMARY),
            ToolHints.READ_ONLY, this::list),
        new ToolDefinition("model_promote", "Promote a model",
            "Make a model production: an adapter (a training job id or adapter directory) or a base model. The first"
                + " promotion needs only a finished eval of it. After that, the candidate must pass the promotion gate"
                + " against production on the same cases (eval_gate's rule: win overall by min_margin, no category down"
                + " by more than max_regression); otherwise it is refused with every reason and production stays. The"
                + " evals are the ones given, else the newest finished ones; when one is missing, the error says which"
                + " eval_run to do. The previous production is kept for model_rollback; the candidate's training bead"
                + " gets a note.",
            """
            {"type": "object", "properties": {
              %s,
              "candidate_eval": {"type": "string", "description": "An eval of the candidate (eval_run's id); default its newest finished eval."},
              "production_eval": {"type": "string", "description": "An eval of production on the same cases; default its newest finished eval on the candidate eval's suites."},
              "min_margin": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.02},
              "max_regression": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
              "require_significance": {"type": "boolean", "default": false},
              "alpha": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.05}},
             "additionalProperties": false}""".formatted(MODEL_ARGUMENTS),
            """
            {"type": "object", "properties": {
              "production": %s, "previous": {"anyOf": [%s, {"type": "null"}]},
              "reasons": {"type": "array", "items": {"type": "string"}},
              "comparison": {"type": ["object", "null"], "description": "The case-by-case comparison the gate judged; null for the first promotion."}},
             "required": ["production", "previous", "reasons"]}""".formatted(PROMOTION, PROMOTION),
            new ToolHints(false, false, false), this::promote),
        new ToolDefinition("model_rollback", "Roll back production",
            "Make the model that production replaced production again (a second rollback goes one further back). The"
                + " history keeps every entry, so nothing is lost; the rolled-back run's bead gets a note. Refused when"
                + " there is no earlier production.",
            """
            {"type": "object", "properties": {
              "reason": {"type": "string", "description": "Why, for the history and the bead (e.g. a regression seen in use)."}},
             "additionalProperties": false}""",
            """
            {"type": "object", "properties": {"production": %s, "rolled_back": %s}, "required": ["production", "rolled_back"]}"""
                .formatted(PROMOTION, PROMOTION),
            new ToolHints(false, false, false), this::rollback),
        new ToolDefinition("model_export", "Export a model",
            "Write an adapter out for serving: the PEFT adapter folder (default), or with merged the adapter folded"
                + " into its base as a plain model in Hugging Face layout (bf16 or f32; minutes for an 8B model, streamed"
                + " tensor by tensor). It goes to the workspace's models/exports/<name>/ (or out) with a README.md model"
                + " card (base model, dataset, run, bead, eval results). Returns the path and command lines that serve"
                + " it with vLLM, transformers and llama.cpp. force replaces an earlier export of that name.",
            """
            {"type": "object", "properties": {
              %s,
              "merged": {"type": "boolean", "default": false, "description": "Fold the adapter into the base weights: one plain model for vLLM without --enable-lora, or llama.cpp's convert_hf_to_gguf.py."},
              "dtype": {"type": "string", "enum": ["bf16", "f32"], "description": "The merged weights' dtype; default the base's."},
              "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", "description": "The export's name; default the adapter's name, with -merged for a merged model."},
              "out": {"type": "string", "description": "Write here instead of models/exports/<name>/: a directory inside the workspace or an allowed directory."},
              "force": {"type": "boolean", "default": false, "description": "Replace an existing export at that place."}},
             "required": ["adapter"], "additionalProperties": false}""".formatted(MODEL_ARGUMENTS),
            """
            {"type": "object", "properties": {
              "name": {"type": "string"}, "path": {"type": "string"}, "merged": {"type": "boolean"},
              "base_model": {"type": "string"}, "adapter": {"type": "string"}, "dtype": {"type": ["string", "null"]},
              "files": {"type": "array", "items": {"type": "string"}}, "bytes": {"type": "integer"},
              "serve": {"type": "object", "properties": {"vllm": {"type": "string"}, "transformers": {"type": "string"},
                "llama_cpp": {"type": "string"}}, "required": ["vllm", "transformers", "llama_cpp"]}},
             "required": ["name", "path", "merged", "base_model", "adapter", "files", "bytes", "serve"]}""",
            new ToolHints(false, true, false), this::export));
  }

  private Map<String, Object> list(ToolCall call) {
    List<EvalRun> evals = new EvalRuns(jobs()).list();
    Promotion production = pointer().current().orElse(null);
    List<Path> others = workspace.allowedRoots().roots().stream().filter(root -> !root.equals(workspace.root())).toList();
    ModelDiscovery.Found found = ModelDiscovery.scan(workspace.modelsDir(), others, workspace.allowedRoots().roots(),
        huggingFaceCache, (int) call.integer("depth", ModelDiscovery.DEFAULT_DEPTH));
    List<Map<String, Object>> bases = new ArrayList<>();
    for (BaseModel base : found.models()) {
      ModelRef ref = new ModelRef(base.name(), base.path(), null, null, null);
      Map<String, Object> entry = Json.toMap(base);
      entry.put("evals", evals.stream().filter(ref::evaluatedBy).map(EvalSummary::of).toList());
      entry.put("production", ref.sameAs(production));
      bases.add(entry);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("production", production);
    result.put("base_models", bases);
    result.put("adapters", adapters().list(evals, production));
    result.put("exports", ModelExport.list(workspace.store()));
    result.put("searched", found.searched());
    return result;
  }

  /** The model an {@code adapter} / {@code model} argument pair names. */
  private ModelRef model(ToolCall call) {
    String adapter = call.string("adapter", null);
    String model = call.string("model", null);
    if (adapter != null) {
      return adapters().adapter(adapter, model);
    }
    if (model == null) {
      throw new ToolException("give adapter (a training job id or adapter directory) or model (a base model directory)");
    }
    return adapters().base(model);
  }

  private Map<String, Object> promote(ToolCall call) {
    ModelRef candidate = model(call);
    PromotionGate gate = PromotionGate.fromArguments(call);
    Promoter.Outcome outcome = new Promoter(jobs(), pointer(), beads)
        .promote(candidate, call.string("candidate_eval", null), call.string("production_eval", null), gate);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("production", outcome.production());
    result.put("previous", outcome.previous());
    result.put("reasons", outcome.reasons());
    result.put("comparison", outcome.comparison());
    return result;
  }

  private Map<String, Object> rollback(ToolCall call) {
    ProductionPointer pointer = pointer();
    Promotion restored = pointer.rollback(call.string("reason", null));
    // The rollback's own transaction read production and appended the new entry, so the entry before it is the
    // one rolled back from.
    Promotion rolledBack = pointer.history().get(1);
    if (rolledBack.runId() != null) {
      jobs().get(rolledBack.runId()).ifPresent(job -> new Promoter(jobs(), pointer, beads).note(job.beadId(),
          "Rolled back from production (entry " + restored.id() + "): " + String.join("; ", restored.reasons())));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("production", restored);
    result.put("rolled_back", rolledBack);
    return result;
  }

  private ModelExport.Exported export(ToolCall call) {
    ModelRef model = model(call);
    boolean merged = call.bool("merged", false);
    String name = call.string("name", model.name() + (merged ? "-merged" : ""));
    if (!ModelExport.NAME.matcher(name).matches()) {
      throw new ToolException("name '" + name + "' cannot be a folder name: use letters, digits, '.', '_' and '-'");
    }
    String out = call.string("out", null);
    Path target = out == null ? workspace.modelsDir().resolve("exports").resolve(name) : workspace.allowedRoots().resolve(out);
    if (!call.bool("force", false) && !isEmpty(target)) {
      throw new ToolException(target + " exists already; pass force: true to replace it, or choose another name");
    }
    String dtype = call.string("dtype", null);
    if (dtype != null && !merged) {
      throw new ToolException("dtype applies to a merged export; an adapter folder keeps its float32 weights (pass"
          + " merged: true to merge)");
    }
    Promotion production = pointer().current().orElse(null);
    AdapterLineage lineage = model.runId() == null ? null : adapters().list(new EvalRuns(jobs()).list(), production)
        .stream().filter(adapter -> adapter.runId().equals(model.runId())).findFirst().orElse(null);
    ModelExport.Exported exported = ModelExport.write(model, lineage, model.sameAs(production), target, name, merged,
        dtype == null ? null : dtype.equals("bf16") ? Dtype.BF16 : Dtype.F32);
    ModelExport.register(workspace.store(), exported, model.runId());
    return exported;
  }

  private static boolean isEmpty(Path dir) {
    if (!Files.isDirectory(dir)) {
      return !Files.exists(dir);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public List<SyncResourceSpecification> resources() {
    McpSchema.Resource resource = McpSchema.Resource.builder()
        .uri(PRODUCTION_URI)
        .name("models-production")
        .title("Production model")
        .description("The production model (base, adapter, the evals and gate decision it was promoted on) and the"
            + " history of promotions and rollbacks, newest first, as JSON.")
        .mimeType("application/json")
        .build();
    return List.of(new SyncResourceSpecification(resource, (exchange, request) -> {
      ProductionPointer pointer = pointer();
      Map<String, Object> production = new LinkedHashMap<>();
      production.put("production", pointer.current().orElse(null));
      production.put("history", pointer.history());
      return new McpSchema.ReadResourceResult(List.of(
          new McpSchema.TextResourceContents(PRODUCTION_URI, "application/json", Json.writePretty(production))));
    }));
  }
}
