package net.b4mad.successor.eval;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.b4mad.successor.charts.CategoryBars;
import net.b4mad.successor.jobs.Job;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.node.ObjectNode;

/**
 * Evaluation: run suites against a model as a job, read the results, compare two runs case by case with a
 * significance note, and judge a candidate against production with the promotion gate.
 */
public final class EvalArea implements ToolArea {

  public static final String REPORT_TEMPLATE = "successor://evals/{id}/report";
  public static final String CHART_TEMPLATE = "successor://evals/{ids}/chart.png";
  private static final Pattern EVAL_URI = Pattern.compile("successor://evals/([A-Za-z0-9._,-]+)/(report|chart\\.png)");

  private static final String ID = "{\"type\": \"string\", \"description\": \"An eval id (the job id eval_run returned).\"}";

  private final Workspace workspace;
  private final JobQueue queue;
  private final EvalSuites suites;

  public EvalArea(Workspace workspace, JobQueue queue) {
    this.workspace = workspace;
    this.queue = queue;
    this.suites = EvalSuites.of(workspace);
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition("eval_suites", "List eval suites",
            "The eval suites there are: the B4mad suite Successor ships (b4mad/mcp_tool_calling, b4mad/bead_operations,"
                + " b4mad/delegation: tool calling, bead lifecycle incl. multi-turn episodes, delegation) and any"
                + " suite files or BFCL question files under the workspace's evals/suites/, with their case counts per"
                + " category and kind. Read-only.",
            "{\"type\": \"object\", \"properties\": {}, \"additionalProperties\": false}",
            """
            {"type": "object", "properties": {"suites": {"type": "array", "items": {"type": "object", "properties": {
              "name": {"type": "string"}, "path": {"type": "string"}, "cases": {"type": "integer"},
              "categories": {"type": "object", "additionalProperties": {"type": "integer"}},
              "kinds": {"type": "object", "additionalProperties": {"type": "integer"}}}}}},
             "required": ["suites"]}""",
            ToolHints.READ_ONLY, call -> Map.of("suites", listSuites())),
        new ToolDefinition("eval_run", "Run an eval",
            "Queue an eval of a model (a base model directory, plus a PEFT adapter to test a trained run) on suites;"
                + " greedy decoding by default so runs compare. Returns at once with job_id (also the eval id),"
                + " bead_id and run_dir; the worker runs it after any training ahead of it (minutes on a GPU, longer on"
                + " a CPU). Watch it with job_wait; read it with eval_results.",
            """
            {"type": "object", "properties": {
              "model": {"type": "string", "description": "The base model directory (Hugging Face layout)."},
              "adapter": {"type": "string", "description": "A PEFT adapter directory to apply, e.g. runs/<job>/adapter."},
              "suites": {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "Suite names from eval_suites ('b4mad' for all three B4mad suites, 'b4mad/delegation' for one), dataset versions ('agent-tools@3f2a9c1b7d4e': the assistant turns of its held-out split become cases), or suite file paths. Default: b4mad."},
              "temperature": {"type": "number", "minimum": 0, "default": 0, "description": "0 is greedy."},
              "top_p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 1},
              "top_k": {"type": "integer", "minimum": 0, "default": 0},
              "max_new_tokens": {"type": "integer", "minimum": 1, "maximum": 8192, "default": 512},
              "seed": {"type": "integer", "default": 0},
              "limit": {"type": "integer", "minimum": 1, "description": "At most this many cases of each suite (a quick check)."},
              "priority": {"type": "integer", "default": 0},
              "bead_id": {"type": "string", "description": "Track the eval on this existing bead instead of a new one."}},
             "required": ["model"], "additionalProperties": false}""",
            """
            {"type": "object", "properties": {
              "job_id": {"type": "string"}, "eval_id": {"type": "string"}, "bead_id": {"type": ["string", "null"]},
              "run_dir": {"type": "string"}, "state": {"type": "string"}, "suites": {"type": "array", "items": {"type": "string"}}},
             "required": ["job_id", "eval_id", "run_dir", "state", "suites"]}""",
            new ToolHints(false, false, false), this::run),
        new ToolDefinition("eval_results", "Eval results",
            "The results of a finished eval: metrics overall, per category and per suite (pass rate, JSON-valid rate,"
                + " tool-selection and argument accuracy, no-call, delegation and episode success, with counts), and"
                + " the failing cases with what was expected, what the model said and why it failed. Read-only.",
            """
            {"type": "object", "properties": {"id": %s,
              "failures": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 50, "description": "At most this many failing cases."}},
             "required": ["id"], "additionalProperties": false}""".formatted(ID),
            "{\"type\": \"object\"}", ToolHints.READ_ONLY, this::results),
        new ToolDefinition("eval_compare", "Compare two evals",
            "Compare two evals of the same suites case by case: pass-rate change per category and overall, the cases"
                + " the candidate fixed and broke, and McNemar's exact test on them, so a change of a few cases is not"
                + " taken for progress. Read-only.",
            """
            {"type": "object", "properties": {"baseline": %s, "candidate": %s},
             "required": ["baseline", "candidate"], "additionalProperties": false}""".formatted(ID, ID),
            "{\"type\": \"object\"}", ToolHints.READ_ONLY, this::compare),
        new ToolDefinition("eval_gate", "Promotion gate",
            "Judge whether a candidate model may replace production, from their evals on the same cases: it passes"
                + " only when the candidate wins overall by at least min_margin (pass rate) and no category regresses by"
                + " more than max_regression; with require_significance, the win must also be significant (McNemar)."
                + " Returns pass and every reason. Read-only.",
            """
            {"type": "object", "properties": {"candidate": %s, "production": %s,
              "min_margin": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.02},
              "max_regression": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
              "require_significance": {"type": "boolean", "default": false},
              "alpha": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.05}},
             "required": ["candidate", "production"], "additionalProperties": false}""".formatted(ID, ID),
            """
            {"type": "object", "properties": {"pass": {"type": "boolean"}, "reasons": {"type": "array", "items": {"type": "string"}},
              "comparison": {"type": "object"}}, "required": ["pass", "reasons"]}""",
            ToolHints.READ_ONLY, this::gate));
  }

  private List<Map<String, Object>> listSuites() {
    List<Map<String, Object>> listed = new ArrayList<>();
    for (Path file : suites.files()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", suites.name(file));
      entry.put("path", file.toString());
      try {
        EvalSuite suite = EvalSettings.load(file);
        Map<String, Integer> categories = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        suite.cases().forEach(c -> {
          categories.merge(c.category(), 1, Integer::sum);
          kinds.merge(c.expectation().kind(), 1, Integer::sum);
        });
        entry.put("cases", suite.cases().size());
        entry.put("categories", categories);
        entry.put("kinds", kinds);
      } catch (RuntimeException e) {
        entry.put("error", e.getMessage());
      }
      listed.add(entry);
    }
    return listed;
  }

  private Map<String, Object> run(ToolCall call) {
    ObjectNode settings = Json.MAPPER.valueToTree(call.arguments());
    settings.remove("priority");
    settings.remove("bead_id");
    settings.put("model", resolve(call.string("model", null), "model").toString());
    if (call.arguments().get("adapter") != null) {
      settings.put("adapter", resolve(call.string("adapter", null), "adapter").toString());
    }
    List<String> files = suites.files(call.strings("suites"));
    settings.set("suites", Json.MAPPER.valueToTree(files));
    try {
      EvalSettings.fromJson(settings);
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage(), e);
    }
    Job job = queue.submit(EvalJobRunner.KIND, settings, (int) call.integer("priority", 0),
        call.string("bead_id", null), workspace.evalsDir());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("job_id", job.id());
    result.put("eval_id", job.id());
    result.put("bead_id", job.beadId());
    result.put("run_dir", job.runDir());
    result.put("state", job.state().label());
    result.put("suites", files);
    return result;
  }

  private Path resolve(String given, String argument) {
    Path path = workspace.allowedRoots().resolve(given);
    if (!Files.exists(path)) {
      throw new ToolException(argument + ": nothing at " + path + " (from '" + given + "')");
    }
    return path;
  }

  private EvalReport report(String id) {
    return new EvalRuns(queue.store()).report(id);
  }

  private Map<String, Object> results(ToolCall call) {
    String id = call.string("id", null);
    EvalRuns runs = new EvalRuns(queue.store());
    EvalRuns.EvalRun run = runs.require(id);
    EvalReport report = runs.report(run);
    int limit = (int) call.integer("failures", 50);
    List<CaseResult> failing = report.cases().stream().filter(c -> !c.passed()).toList();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", id);
    result.put("model", run.settings().model());
    result.put("adapter", run.settings().adapter());
    result.put("cancelled", report.cancelled());
    result.put("overall", report.overall());
    result.put("categories", report.categories());
    result.put("suites", report.suites());
    result.put("failing_count", failing.size());
    result.put("failing", failing.subList(0, Math.min(limit, failing.size())));
    return result;
  }

  private Map<String, Object> compare(ToolCall call) {
    EvalReport baseline = report(call.string("baseline", null));
    EvalReport candidate = report(call.string("candidate", null));
    EvalComparison.Result comparison = EvalComparison.compare(baseline.outcomes(), candidate.outcomes());
    Map<String, Object> metrics = new LinkedHashMap<>();
    candidate.categories().forEach((category, after) -> {
      EvalMetrics before = baseline.categories().get(category);
      if (before != null) {
        metrics.put(category, metricDeltas(before, after));
      }
    });
    Map<String, Object> result = new LinkedHashMap<>(Json.toMap(comparison));
    result.put("metric_deltas", metrics);
    result.put("overall_metric_deltas", metricDeltas(baseline.overall(), candidate.overall()));
    return result;
  }

  /** Candidate minus baseline for each rate both runs have. */
  private static Map<String, Double> metricDeltas(EvalMetrics before, EvalMetrics after) {
    Map<String, Object> b = Json.toMap(before);
    Map<String, Object> a = Json.toMap(after);
    Map<String, Double> deltas = new LinkedHashMap<>();
    for (String key : List.of("pass_rate", "json_valid_rate", "tool_selection_rate", "arguments_rate",
        "no_call_accuracy", "delegation_accuracy", "episode_success")) {
      if (a.get(key) instanceof Number x && b.get(key) instanceof Number y) {
        deltas.put(key, x.doubleValue() - y.doubleValue());
      }
    }
    return deltas;
  }

  private Map<String, Object> gate(ToolCall call) {
    PromotionGate gate = PromotionGate.fromArguments(call);
    PromotionGate.Decision decision = gate.judge(
        report(call.string("production", null)).outcomes(), report(call.string("candidate", null)).outcomes());
    return Map.of("pass", decision.pass(), "reasons", decision.reasons(), "comparison", decision.comparison());
  }

  @Override
  public List<SyncResourceTemplateSpecification> resourceTemplates() {
    return List.of(
        ToolArea.template(REPORT_TEMPLATE, "eval-report", "Eval report",
            "A finished eval's report.json: metrics per category and suite, and every case with its verdict.",
            "application/json", this::read),
        ToolArea.template(CHART_TEMPLATE, "eval-chart", "Eval chart",
            "Pass rate per category of one or more evals (ids separated by commas), as grouped bars in a PNG.",
            "image/png", this::read));
  }

  private McpSchema.ReadResourceResult read(String uri) {
    Matcher matcher = EVAL_URI.matcher(uri);
    if (!matcher.matches()) {
      throw McpError.RESOURCE_NOT_FOUND.apply(uri);
    }
    try {
      if (matcher.group(2).equals("report")) {
        return new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
            uri, "application/json", Json.writePretty(report(matcher.group(1))))));
      }
      Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
      for (String id : matcher.group(1).split(",")) {
        Map<String, Double> rates = new LinkedHashMap<>();
        report(id).categories().forEach((category, metrics) ->
            rates.put(category, metrics.passRate() == null ? 0 : metrics.passRate()));
        runs.put(id, rates);
      }
      byte[] png = CategoryBars.png(runs, "pass rate per category");
      return new McpSchema.ReadResourceResult(List.of(
          new McpSchema.BlobResourceContents(uri, "image/png", Base64.getEncoder().encodeToString(png))));
    } catch (ToolException e) {
      throw McpError.RESOURCE_NOT_FOUND.apply(uri);
    }
  }
}
