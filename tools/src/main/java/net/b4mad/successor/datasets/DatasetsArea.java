package net.b4mad.successor.datasets;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;
import net.b4mad.successor.traces.TraceFilter;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * Datasets: build immutable versions from traces, gold examples and mix-in data; validate, measure and preview
 * them; add hand-written examples. The version folders are plain OpenAI/TRL JSONL that TRL and Axolotl read.
 */
public final class DatasetsArea implements ToolArea {

  public static final String MANIFEST_TEMPLATE = "successor://datasets/{name}/{version}/manifest";
  private static final Pattern MANIFEST_URI = Pattern.compile("successor://datasets/([^/]+)/([^/]+)/manifest");
  private static final int MAX_CACHED_TOKENIZERS = 8;

  private static final String TRACE_FILTER_PROPERTIES =
      """
      "ids": {"type": "array", "items": {"type": "string"}, "description": "Exactly these trace ids (tr-...)."},
      "agent": {"type": "string", "description": "Traces of this agent."},
      "tool_name": {"type": "string", "description": "Traces in which an assistant called this tool."},
      "text": {"type": "string", "description": "Case-insensitive substring of the conversation."},
      "since": {"type": "string", "description": "Traces started at or after this ISO-8601 instant, e.g. 2026-11-01T00:00:00Z."},
      "until": {"type": "string", "description": "Traces started before this ISO-8601 instant."},
      "outcome": {"type": "string", "description": "success or failure."},
      "tag": {"type": "string"},
      "session_id": {"type": "string"},
      "bead_id": {"type": "string", "description": "Traces that mention this bead, e.g. b4-12."},
      "limit": {"type": "integer", "minimum": 0, "description": "At most this many, newest first; 0 for all."}""";

  private static final String NAME_PROPERTY =
      """
      {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]{0,63}$", "description": "Dataset name: 1-64 of a-z 0-9 . _ -, e.g. agent-tools."}""";

  private static final String TARGET_PROPERTIES =
      """
      "dataset": {"type": "string", "description": "A dataset version: 'name' or 'name@latest' (the newest) or 'name@<12 hex version>'. Give this or file."},
      "file": {"type": "string", "description": "A .jsonl file of OpenAI/TRL examples (or a .json array), inside the workspace or an allowed directory. Give this or dataset."},
      "tokenizer": {"type": "string", "description": "A model directory holding tokenizer.json, or the file. Default: the bundled 8k-merge Qwen3 tokenizer, which counts about 30% more tokens than the real one."}""";

  private static final String PROBLEM =
      """
      {"type": "object", "properties": {
        "example_id": {"type": "string"}, "kind": {"type": "string"}, "message": {"type": "string"}, "fix": {"type": "string"}},
       "required": ["example_id", "kind", "message", "fix"]}""";

  private static final String REPORT_PROPERTIES =
      """
      "examples": {"type": "integer"}, "valid": {"type": "integer"}, "invalid": {"type": "integer"},
      "problems_by_kind": {"type": "object", "additionalProperties": {"type": "integer"}},
      "problems": {"type": "array", "items": $PROBLEM},
      "truncated": {"type": "boolean", "description": "True when more problems exist than are listed; problems_by_kind counts them all."}"""
          .replace("$PROBLEM", PROBLEM);

  private static final String TOKEN_STATS =
      """
      {"type": "object", "properties": {
        "tokenizer": {"type": "string"}, "total": {"type": "integer"}, "min": {"type": "integer"}, "mean": {"type": "number"},
        "median": {"type": "integer"}, "p95": {"type": "integer"}, "max": {"type": "integer"},
        "histogram": {"type": "array", "items": {"type": "object", "properties": {
          "range": {"type": "string"}, "min": {"type": "integer"}, "max": {"type": ["integer", "null"]}, "count": {"type": "integer"}}}}},
       "required": ["tokenizer", "total", "mean", "max", "histogram"]}""";

  private static final String STATS =
      """
      {"type": "object", "properties": {
        "examples": {"type": "integer"}, "turns": {"type": "integer", "description": "Non-system messages."},
        "assistant_turns": {"type": "integer"}, "tool_calls": {"type": "integer"},
        "tool_calls_per_tool": {"type": "object", "additionalProperties": {"type": "integer"}},
        "calls_per_example_mean": {"type": "number"}, "calls_per_example_max": {"type": "integer"},
        "tokens": $TOKEN_STATS,
        "delegation_examples": {"type": "integer"}, "delegation_share": {"type": "number"},
        "bead_operation_examples": {"type": "integer"}, "bead_operation_share": {"type": "number"},
        "split_sizes": {"type": "object", "additionalProperties": {"type": "integer"}}},
       "required": ["examples", "turns", "tool_calls", "tool_calls_per_tool", "tokens", "split_sizes"]}"""
          .replace("$TOKEN_STATS", TOKEN_STATS);

  private static final String COUNTS =
      """
      {"type": "object", "properties": {
        "train": {"type": "integer"}, "eval": {"type": "integer"}, "from_traces": {"type": "integer"}, "gold": {"type": "integer"},
        "mix_in": {"type": "integer"}, "added": {"type": "integer"}, "invalid_excluded": {"type": "integer"},
        "invalid_kept": {"type": "integer"}, "duplicates_removed": {"type": "integer"}},
       "required": ["train", "eval"]}""";

  private static final String SPLIT =
      """
      {"type": "object", "properties": {
        "method": {"type": "string"}, "eval_fraction": {"type": "number"}, "group_by": {"type": "string"},
        "seed": {"type": "integer"}, "held_out": {"type": ["object", "null"]},
        "train_groups": {"type": "integer"}, "eval_groups": {"type": "integer"}},
       "required": ["method", "group_by"]}""";

  private static final String BUILD_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "name": $NAME,
          "traces": {"type": "object", "additionalProperties": false, "properties": {$FILTER},
            "description": "Which traces become examples (all given fields must hold). Omit for all traces."},
          "include_traces": {"type": "boolean", "default": true, "description": "false for a dataset of gold examples only."},
          "gold_files": {"type": "array", "description": "Files of hand-written examples (.jsonl in OpenAI/TRL form). They always go to train unless eval is true, and are kept over traces that duplicate them.",
            "items": {"type": "object", "additionalProperties": false, "required": ["path"], "properties": {
              "path": {"type": "string"},
              "eval": {"type": "boolean", "default": false, "description": "Put all of this file's examples in eval instead of train."}}}},
          "mix_in": {"type": "array", "description": "General data mixed into train so the model keeps its general skills: ratio examples from the file per example of the dataset's own (traces and gold after validation and deduplication), sampled with the seed and without replacement; the build fails if the file has too few.",
            "items": {"type": "object", "additionalProperties": false, "required": ["path", "ratio"], "properties": {
              "path": {"type": "string"}, "ratio": {"type": "number", "exclusiveMinimum": 0, "description": "e.g. 0.5 for one mix-in example per two own examples."}}}},
          "eval_fraction": {"type": "number", "minimum": 0, "exclusiveMaximum": 1, "default": 0.1, "description": "Share of trace examples held out for eval, moved in whole groups (see group_by). 0 for no eval split. Ignored when held_out is given."},
          "group_by": {"type": "string", "enum": ["none", "session", "bead"], "default": "session", "description": "Keep related examples on one side of the split: all traces of a session (or of a bead: a trace's first bead id) go to train or all to eval. Traces without one are their own group."},
          "held_out": {"type": "object", "additionalProperties": false, "properties": {$FILTER},
            "description": "Instead of eval_fraction: the traces matching this filter (and, with group_by, their whole groups) form eval, e.g. {\\"bead_id\\": \\"b4-12\\"} or {\\"since\\": \\"2026-11-20T00:00:00Z\\"}."},
          "seed": {"type": "integer", "default": 0, "description": "Seed for the split, mix-in sampling and line order. Same inputs and seed give the same version."},
          "dedupe": {"type": "boolean", "default": true, "description": "Remove exact duplicates (same rendered prompt up to whitespace) and near-duplicates before the split."},
          "near_duplicate_threshold": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1, "default": 0.9, "description": "Estimated Jaccard similarity of word 5-shingles (MinHash, 128 permutations, LSH) at or above which a later example is dropped as a near-duplicate of a kept one. Compared on the conversation without system prompt and tool definitions. null: exact duplicates only."},
          "max_tokens": {"type": "integer", "minimum": 1, "default": 4096, "description": "Examples longer than this under the Qwen3 template are invalid (too_long)."},
          "tokenizer": {"type": "string", "description": "Model directory with tokenizer.json (or the file) used for token counts; default: the bundled 8k-merge Qwen3 tokenizer (counts about 30% high). The manifest records which."},
          "on_invalid": {"type": "string", "enum": ["exclude", "keep", "fail"], "default": "exclude", "description": "What to do with examples that fail validation: leave them out (and report them), keep them anyway, or fail the build."}
        },
        "required": ["name"],
        "additionalProperties": false
      }
      """
          .replace("$NAME", NAME_PROPERTY)
          .replace("$FILTER", TRACE_FILTER_PROPERTIES);

  private static final String BUILD_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "name": {"type": "string"}, "version": {"type": "string"}, "ref": {"type": "string", "description": "name@version, for the other dataset tools and for training."},
          "created": {"type": "boolean", "description": "false: the same inputs had built this version before; nothing was written."},
          "created_at": {"type": "string"}, "path": {"type": "string", "description": "The version folder: train.jsonl, eval.jsonl, manifest.json."},
          "manifest_uri": {"type": "string"},
          "counts": $COUNTS,
          "split": $SPLIT,
          "invalid": {"type": "object", "properties": {$REPORT}},
          "duplicates": {"type": "object", "properties": {
            "exact": {"type": "integer"}, "near": {"type": "integer"}, "truncated": {"type": "boolean"},
            "removed": {"type": "array", "items": {"type": "object", "properties": {
              "removed_id": {"type": "string"}, "kept_id": {"type": "string"}, "kind": {"type": "string"}, "similarity": {"type": "number"}}}}}},
          "tokens": $TOKEN_STATS,
          "scrub_counts": {"type": "object", "additionalProperties": {"type": "integer"}}
        },
        "required": ["name", "version", "ref", "created", "path", "counts", "split", "invalid", "duplicates", "tokens"]
      }
      """
          .replace("$COUNTS", COUNTS)
          .replace("$SPLIT", SPLIT)
          .replace("$REPORT", REPORT_PROPERTIES)
          .replace("$TOKEN_STATS", TOKEN_STATS);

  private static final String VALIDATE_INPUT =
      """
      {
        "type": "object",
        "properties": {
          $TARGET,
          "split": {"type": "string", "enum": ["train", "eval", "all"], "default": "all", "description": "For a dataset: which file to check."},
          "max_tokens": {"type": "integer", "minimum": 1, "default": 4096},
          "max_problems": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 50, "description": "List at most this many problems; problems_by_kind counts all."}
        },
        "additionalProperties": false
      }
      """
          .replace("$TARGET", TARGET_PROPERTIES);

  private static final String VALIDATE_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "target": {"type": "string"}, "tokenizer": {"type": "string"}, "max_tokens": {"type": "integer"},
          $REPORT
        },
        "required": ["target", "tokenizer", "examples", "valid", "invalid", "problems_by_kind", "problems", "truncated"]
      }
      """
          .replace("$REPORT", REPORT_PROPERTIES);

  private static final String STATS_INPUT =
      """
      {
        "type": "object",
        "properties": {
          $TARGET
        },
        "additionalProperties": false
      }
      """
          .replace("$TARGET", TARGET_PROPERTIES);

  private static final String STATS_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "target": {"type": "string"},
          "stats": $STATS,
          "tokens_by_split": {"type": "object", "additionalProperties": $TOKEN_STATS}
        },
        "required": ["target", "stats", "tokens_by_split"]
      }
      """
          .replace("$STATS", STATS)
          .replace("$TOKEN_STATS", TOKEN_STATS);

  private static final String PREVIEW_INPUT =
      """
      {
        "type": "object",
        "properties": {
          $TARGET,
          "id": {"type": "string", "description": "The example's id (a trace id tr-..., gold-..., mix-...). Searched in train, then eval."},
          "index": {"type": "integer", "minimum": 0, "description": "The example's position (0-based) in the split. Default 0 when no id is given."},
          "split": {"type": "string", "enum": ["train", "eval"], "default": "train", "description": "For a dataset with index: which file."}
        },
        "additionalProperties": false
      }
      """
          .replace("$TARGET", TARGET_PROPERTIES);

  private static final String PREVIEW_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "dataset": {"type": "string"}, "split": {"type": "string"}, "index": {"type": "integer"}, "id": {"type": "string"},
          "marked_text": {"type": "string", "description": "The Qwen3 rendering with each trained span wrapped in ⟦ and ⟧."},
          "spans": {"type": "array", "items": {"type": "object", "properties": {
            "start": {"type": "integer"}, "end": {"type": "integer"}, "tokens": {"type": "integer"}}}},
          "characters": {"type": "integer"}, "tokens": {"type": "integer"}, "trained_tokens": {"type": "integer"},
          "tokenizer": {"type": "string"}, "start_marker": {"type": "string"}, "end_marker": {"type": "string"}
        },
        "required": ["dataset", "index", "id", "marked_text", "spans", "tokens", "trained_tokens"]
      }
      """;

  private static final String ADD_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "name": $NAME,
          "examples": {"type": "array", "minItems": 1, "maxItems": 1000,
            "description": "Examples in OpenAI/TRL form: {\\"messages\\": [{\\"role\\": \\"user\\", \\"content\\": ...}, {\\"role\\": \\"assistant\\", \\"content\\": ..., \\"tool_calls\\": [{\\"id\\": \\"c1\\", \\"type\\": \\"function\\", \\"function\\": {\\"name\\": ..., \\"arguments\\": {...}}}]}, {\\"role\\": \\"tool\\", \\"tool_call_id\\": \\"c1\\", \\"content\\": ...}, ...], \\"tools\\": [{\\"type\\": \\"function\\", \\"function\\": {\\"name\\", \\"description\\", \\"parameters\\"}}]}.",
            "items": {"type": "object"}},
          "max_tokens": {"type": "integer", "minimum": 1, "default": 4096},
          "tokenizer": {"type": "string", "description": "Model directory with tokenizer.json (or the file); default: the bundled 8k-merge Qwen3 tokenizer."}
        },
        "required": ["name", "examples"],
        "additionalProperties": false
      }
      """
          .replace("$NAME", NAME_PROPERTY);

  private static final String ADD_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "name": {"type": "string"},
          "version": {"type": ["string", "null"], "description": "The new version; the unchanged latest one when nothing was added."},
          "ref": {"type": ["string", "null"]},
          "created": {"type": "boolean"},
          "previous_version": {"type": ["string", "null"]},
          "added": {"type": "integer"},
          "added_ids": {"type": "array", "items": {"type": "string"}},
          "already_present": {"type": "array", "items": {"type": "string"}},
          "refused": {"type": "array", "items": {"type": "object", "properties": {
            "index": {"type": "integer"}, "id": {"type": ["string", "null"]}, "problems": {"type": "array", "items": $PROBLEM}}}},
          "counts": $COUNTS
        },
        "required": ["name", "created", "added", "added_ids", "already_present", "refused", "counts"]
      }
      """
          .replace("$PROBLEM", PROBLEM)
          .replace("$COUNTS", COUNTS);

  private static final String LIST_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "name": {"type": "string", "description": "Only this dataset's versions."}
        },
        "additionalProperties": false
      }
      """;

  private static final String LIST_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "datasets": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "latest": {"type": "string"},
            "versions": {"type": "array", "items": {"type": "object", "properties": {
              "version": {"type": "string"}, "ref": {"type": "string"}, "created_at": {"type": "string"},
              "train": {"type": "integer"}, "eval": {"type": "integer"}, "path": {"type": "string"},
              "manifest_uri": {"type": "string"}},
             "required": ["version", "ref", "created_at", "train", "eval"]}}},
           "required": ["name", "latest", "versions"]}}
        },
        "required": ["datasets"]
      }
      """;

  private final Workspace workspace;
  private final DatasetBuilder builder;
  private TokenCounter bundled;
  private final Map<String, TokenCounter> loaded = new LinkedHashMap<>();

  public DatasetsArea(Workspace workspace) {
    this.workspace = workspace;
    this.builder = new DatasetBuilder(workspace);
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "dataset_build",
            "Build a dataset version",
            "Build an immutable, versioned training dataset from traces (all, or those matching 'traces'), gold"
                + " example files and mix-in data. Every example is validated (invalid ones are left out and"
                + " reported), exact and near-duplicates are removed (reported with the example each repeats), the"
                + " traces are split into train and eval by group (session or bead by default session, so related"
                + " examples never straddle the split) or by a held_out filter, and the result is written to"
                + " datasets/<name>/<version>/ as train.jsonl and eval.jsonl (OpenAI/TRL 'messages' + 'tools' JSONL"
                + " that TRL and Axolotl read as is) with manifest.json (sources, recipe, counts, split, removed"
                + " duplicates, problems, token statistics, scrub counts, chat template). Gold examples always go to"
                + " train unless their file is flagged eval. The version is a content hash: the same inputs build the"
                + " same version, and a rebuild writes nothing (created: false). Returns the version ref"
                + " (name@version) to train on.",
            BUILD_INPUT,
            BUILD_OUTPUT,
            new ToolHints(false, false, true),
            this::build),
        new ToolDefinition(
            "dataset_add_examples",
            "Add gold examples",
            "Add hand-written (gold) examples to a dataset, e.g. for behaviours the traces rarely show. Each"
                + " example is validated on the way in: invalid ones are refused with their problems and a fix, valid"
                + " ones are added to train in a NEW version (the latest version's train plus the new examples; eval"
                + " unchanged; earlier versions stay as they were). Creates the dataset if it does not exist yet."
                + " Example ids are gold-<content hash>, so adding the same example again changes nothing.",
            ADD_INPUT,
            ADD_OUTPUT,
            new ToolHints(false, false, true),
            this::addExamples),
        new ToolDefinition(
            "dataset_validate",
            "Validate a dataset",
            "Check a dataset version or a JSONL file of OpenAI/TRL examples before training on it. Problem kinds:"
                + " malformed, invalid_tool_definition, invalid_json_arguments (arguments not a JSON object),"
                + " unknown_tool (not in the example's tools), schema_violation (arguments vs the tool's"
                + " parameters schema), bad_role_order (first message after system must be user; no assistant right"
                + " after an assistant; at least one assistant message), unanswered_call (a call without a result"
                + " before the next turn; ending on calls is fine), orphan_result (a tool result that answers no"
                + " call; matched by tool_call_id where present, else by count), empty_assistant, too_long (over"
                + " max_tokens under the Qwen3 template), duplicate_id. Returns counts by kind and each problem with"
                + " the example id, what is wrong where, and how to fix it.",
            VALIDATE_INPUT,
            VALIDATE_OUTPUT,
            ToolHints.READ_ONLY,
            this::validate),
        new ToolDefinition(
            "dataset_stats",
            "Dataset statistics",
            "Measure a dataset version or a JSONL file: examples, turns, tool calls per tool, calls per example"
                + " (mean, max), token lengths under the Qwen3 template (min, mean, median, p95, max and a histogram"
                + " with edges 256/512/1k/2k/4k/8k), split sizes, and the share of examples that delegate (a tool"
                + " name containing delegat/handoff/subagent, or named task/agent, or arguments mentioning delegat or"
                + " handoff) and that work with beads (a tool name starting bd_/beads_/bead_, arguments running the"
                + " bd CLI, or an argument named bead_id/issue_id/bead). Use it to see whether a dataset teaches"
                + " what you want and fits the training sequence length.",
            STATS_INPUT,
            STATS_OUTPUT,
            ToolHints.READ_ONLY,
            this::stats),
        new ToolDefinition(
            "dataset_preview",
            "Preview a training example",
            "Show one example exactly as the model will be trained on it: rendered with the Qwen3 chat template,"
                + " with each trained span (every assistant message, through its <|im_end|>) wrapped in ⟦ and ⟧."
                + " Text outside the markers is context the model reads but is not trained to write. Also returns"
                + " the spans as character offsets into the unmarked rendering (exact even if the text contains the"
                + " marker characters), the token count and the trained tokens. Pick the example by id or by index.",
            PREVIEW_INPUT,
            PREVIEW_OUTPUT,
            ToolHints.READ_ONLY,
            this::preview),
        new ToolDefinition(
            "dataset_list",
            "List datasets",
            "List the workspace's datasets with their versions (newest first), each with its train and eval"
                + " sizes, creation time and manifest resource URI. 'name' or 'name@latest' refers to the newest"
                + " version in the other dataset tools.",
            LIST_INPUT,
            LIST_OUTPUT,
            ToolHints.READ_ONLY,
            this::list));
  }

  @Override
  public List<SyncResourceTemplateSpecification> resourceTemplates() {
    McpSchema.ResourceTemplate template =
        McpSchema.ResourceTemplate.builder()
            .uriTemplate(MANIFEST_TEMPLATE)
            .name("dataset-manifest")
            .title("Dataset version manifest")
            .description("manifest.json of a dataset version: sources, recipe, counts, split, removed duplicates,"
                + " validation problems, token statistics, scrub counts. version may be 'latest'.")
            .mimeType("application/json")
            .build();
    return List.of(
        new SyncResourceTemplateSpecification(
            template,
            (exchange, request) -> {
              Matcher matcher = MANIFEST_URI.matcher(request.uri());
              if (!matcher.matches()) {
                throw new IllegalArgumentException("not a dataset manifest URI: " + request.uri() + "; expected " + MANIFEST_TEMPLATE);
              }
              DatasetStore.VersionRef version = builder.store().resolve(matcher.group(1) + "@" + matcher.group(2));
              String text;
              try {
                text = Files.readString(version.manifest());
              } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + version.manifest() + ": " + e.getMessage(), e);
              }
              return new McpSchema.ReadResourceResult(
                  List.of(new McpSchema.TextResourceContents(request.uri(), "application/json", text)));
            }));
  }

  // --- dataset_build

  private BuildResult build(ToolCall call) {
    return build(Json.MAPPER.valueToTree(call.arguments()), call.context());
  }

  /** What dataset_build does with these arguments (its input schema's fields); a pipeline's first step. */
  public BuildResult build(JsonNode args, ToolContext context) {
    ToolCall call = new ToolCall(Json.toMap(args), context);
    TraceFilter traces = call.bool("include_traces", true) ? filter(args.get("traces"), "traces") : null;
    if (traces == null && args.has("traces")) {
      throw new ToolException("traces was given with include_traces: false; drop one of them");
    }
    List<BuildRequest.GoldFile> gold = new ArrayList<>();
    for (JsonNode file : args.path("gold_files")) {
      gold.add(new BuildRequest.GoldFile(existingFile(file.path("path").asString(null), "gold_files"), file.path("eval").asBoolean(false)));
    }
    List<BuildRequest.MixIn> mixIns = new ArrayList<>();
    for (JsonNode file : args.path("mix_in")) {
      mixIns.add(new BuildRequest.MixIn(existingFile(file.path("path").asString(null), "mix_in"), file.path("ratio").asDouble()));
    }
    JsonNode threshold = args.get("near_duplicate_threshold");
    BuildRequest request =
        new BuildRequest(
            call.string("name", null),
            traces,
            gold,
            mixIns,
            args.path("eval_fraction").asDouble(BuildRequest.DEFAULT_EVAL_FRACTION),
            call.string("group_by", DatasetSplitter.GROUP_SESSION),
            args.has("held_out") ? filter(args.get("held_out"), "held_out") : null,
            call.integer("seed", 0),
            call.bool("dedupe", true),
            threshold == null ? BuildRequest.DEFAULT_NEAR_THRESHOLD : threshold.isNull() ? Double.NaN : threshold.asDouble(),
            (int) call.integer("max_tokens", DatasetValidator.DEFAULT_MAX_TOKENS),
            call.string("on_invalid", "exclude"));
    return builder.build(request, tokenizer(call), context);
  }

  /** A TraceFilter from its JSON form; null node means all traces. */
  static TraceFilter filter(JsonNode node, String argument) {
    if (node == null || node.isNull()) {
      return TraceFilter.ALL;
    }
    List<String> ids = new ArrayList<>();
    node.path("ids").forEach(id -> ids.add(id.asString()));
    return new TraceFilter(
        ids,
        text(node, "agent"),
        text(node, "tool_name"),
        text(node, "text"),
        instant(node, "since", argument),
        instant(node, "until", argument),
        text(node, "outcome"),
        text(node, "tag"),
        text(node, "session_id"),
        text(node, "bead_id"),
        node.path("limit").asInt(0));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static Instant instant(JsonNode node, String field, String argument) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        throw new ToolException(argument + "." + field + " '" + value + "' is not an ISO-8601 instant or date:"
            + " write e.g. 2026-11-01T00:00:00Z or 2026-11-01");
      }
    }
  }

  // --- dataset_add_examples

  private AddResult addExamples(ToolCall call) {
    JsonNode args = Json.MAPPER.valueToTree(call.arguments());
    List<JsonNode> examples = new ArrayList<>();
    args.path("examples").forEach(examples::add);
    return builder.addExamples(call.string("name", null), examples, tokenizer(call),
        (int) call.integer("max_tokens", DatasetValidator.DEFAULT_MAX_TOKENS), call.context());
  }

  // --- dataset_validate, dataset_stats, dataset_preview: a dataset version or a file

  /** The examples a read-only tool looks at: a version's splits, or one file. */
  record Target(String label, Map<String, List<DatasetExample>> splits, List<ValidationProblem> unreadable) {

    List<DatasetExample> all() {
      return splits.values().stream().flatMap(List::stream).toList();
    }
  }

  Target target(ToolCall call, List<String> splits) {
    String dataset = call.string("dataset", null);
    String file = call.string("file", null);
    if ((dataset == null) == (file == null)) {
      throw new ToolException("give either dataset (name or name@version) or file (a .jsonl path), not "
          + (dataset == null ? "neither" : "both"));
    }
    Map<String, List<DatasetExample>> examples = new LinkedHashMap<>();
    if (file != null) {
      ExampleFile.Contents contents = ExampleFile.read(existingFile(file, "file"), null);
      examples.put("file", contents.examples());
      return new Target(file, examples, contents.unreadable());
    }
    DatasetStore.VersionRef version = builder.store().resolve(dataset);
    List<ValidationProblem> unreadable = new ArrayList<>();
    for (String split : splits) {
      ExampleFile.Contents contents = ExampleFile.read(version.file(split), null);
      examples.put(split, contents.examples());
      for (ValidationProblem problem : contents.unreadable()) {
        unreadable.add(new ValidationProblem(split + ":" + problem.exampleId(), problem.kind(), problem.message(), problem.fix()));
      }
    }
    return new Target(version.ref(), examples, unreadable);
  }

  /** dataset_validate's result. */
  record ValidateResult(
      String target, String tokenizer, int maxTokens, int examples, int valid, int invalid,
      Map<String, Integer> problemsByKind, List<ValidationProblem> problems, boolean truncated) {}

  private ValidateResult validate(ToolCall call) {
    String split = call.string("split", "all");
    Target target = target(call, split.equals("all") ? DatasetStore.SPLITS : List.of(split));
    TokenCounter tokens = tokenizer(call);
    int maxTokens = (int) call.integer("max_tokens", DatasetValidator.DEFAULT_MAX_TOKENS);
    ValidationReport report = new DatasetValidator(tokens, maxTokens)
        .validateAll(target.all(), target.unreadable(), (int) call.integer("max_problems", DatasetBuilder.MAX_LISTED));
    return new ValidateResult(target.label(), tokens.info().name(), maxTokens, report.examples(), report.valid(),
        report.invalid(), report.problemsByKind(), report.problems(), report.truncated());
  }

  /** dataset_stats's result. */
  record StatsResult(String target, DatasetStats stats, Map<String, DatasetStats.TokenStats> tokensBySplit) {}

  private StatsResult stats(ToolCall call) {
    Target target = target(call, DatasetStore.SPLITS);
    TokenCounter tokens = tokenizer(call);
    List<DatasetExample> renderable = new ArrayList<>();
    Map<String, Integer> sizes = new LinkedHashMap<>();
    Map<String, DatasetStats.TokenStats> bySplit = new LinkedHashMap<>();
    List<Integer> allCounts = new ArrayList<>();
    for (Map.Entry<String, List<DatasetExample>> split : target.splits().entrySet()) {
      List<DatasetExample> examples = split.getValue();
      int[] counts = examples.parallelStream().mapToInt(e -> countOrZero(e, tokens)).toArray();
      renderable.addAll(examples);
      for (int count : counts) {
        allCounts.add(count);
      }
      if (call.string("dataset", null) != null) {
        sizes.put(split.getKey(), examples.size());
      }
      bySplit.put(split.getKey(), DatasetStats.tokenStats(counts, tokens.info().name()));
    }
    int[] counts = allCounts.stream().mapToInt(Integer::intValue).toArray();
    return new StatsResult(target.label(), DatasetStats.of(renderable, counts, tokens.info().name(), sizes), bySplit);
  }

  /** Statistics go on for examples that cannot be rendered (validation reports those); they count 0 tokens. */
  private static int countOrZero(DatasetExample example, TokenCounter tokens) {
    try {
      return tokens.count(example.render().text());
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private DatasetPreview preview(ToolCall call) {
    String split = call.string("split", DatasetStore.TRAIN);
    Target target = target(call, DatasetStore.SPLITS);
    String id = call.string("id", null);
    if (id != null) {
      for (Map.Entry<String, List<DatasetExample>> entry : target.splits().entrySet()) {
        List<DatasetExample> examples = entry.getValue();
        for (int i = 0; i < examples.size(); i++) {
          if (examples.get(i).id().equals(id)) {
            return DatasetPreview.of(target.label(), entry.getKey(), i, examples.get(i), tokenizer(call));
          }
        }
      }
      throw new ToolException("no example with id '" + id + "' in " + target.label()
          + "; dataset_validate and the manifest list the ids, or pick one by index");
    }
    String chosen = target.splits().containsKey(split) ? split : target.splits().keySet().iterator().next();
    List<DatasetExample> examples = target.splits().get(chosen);
    long index = call.integer("index", 0);
    if (index >= examples.size()) {
      throw new ToolException("index " + index + " is past the end of " + target.label() + " " + chosen
          + ", which has " + examples.size() + " examples (indexes start at 0)");
    }
    return DatasetPreview.of(target.label(), chosen, (int) index, examples.get((int) index), tokenizer(call));
  }

  // --- dataset_list

  record ListedVersion(
      String version, String ref, String createdAt, int train, int eval, String path, String manifestUri) {}

  record ListedDataset(String name, String latest, List<ListedVersion> versions) {}

  record ListResult(List<ListedDataset> datasets) {}

  private ListResult list(ToolCall call) {
    String only = call.string("name", null);
    Map<String, List<ListedVersion>> byName = new LinkedHashMap<>();
    for (DatasetStore.VersionRow row : builder.store().versions(only == null ? null : DatasetStore.checkName(only))) {
      Path dir = workspace.root().resolve(row.manifestPath()).getParent();
      JsonNode counts = Json.MAPPER.nullNode();
      try {
        counts = Json.MAPPER.readTree(Files.readString(dir.resolve("manifest.json"))).path("counts");
      } catch (IOException | RuntimeException e) {
        // A version whose folder was removed by hand still shows, with zero counts.
      }
      byName.computeIfAbsent(row.name(), k -> new ArrayList<>())
          .add(new ListedVersion(row.version(), row.name() + "@" + row.version(), row.createdAt(),
              counts.path("train").asInt(0), counts.path("eval").asInt(0), dir.toString(),
              DatasetBuilder.manifestUri(row.name(), row.version())));
    }
    List<ListedDataset> datasets = new ArrayList<>();
    byName.forEach((name, versions) -> datasets.add(new ListedDataset(name, versions.get(0).version(), versions)));
    return new ListResult(datasets);
  }

  // --- shared

  private Path existingFile(String userPath, String argument) {
    if (userPath == null) {
      throw new ToolException(argument + ": every entry needs a path");
    }
    Path path = workspace.allowedRoots().resolve(userPath);
    if (!Files.isRegularFile(path)) {
      throw new ToolException(argument + ": no file at " + path + " (from '" + userPath + "')");
    }
    return path;
  }

  /** The tokenizer the call names, or the bundled one; loaded once per server and kept (loading takes ~0.5 s). */
  synchronized TokenCounter tokenizer(ToolCall call) {
    String given = call.string("tokenizer", null);
    if (given == null) {
      if (bundled == null) {
        bundled = TokenCounter.bundled();
      }
      return bundled;
    }
    Path path = workspace.allowedRoots().resolve(given);
    String key = path.toString();
    TokenCounter counter = loaded.get(key);
    if (counter == null) {
      if (!Files.exists(path)) {
        throw new ToolException("tokenizer: nothing at " + path + "; give a model directory holding tokenizer.json, or the file");
      }
      counter = TokenCounter.load(path);
      if (loaded.size() >= MAX_CACHED_TOKENIZERS) {
        // Forget the oldest without closing it: a call still running may be using it.
        loaded.remove(loaded.keySet().iterator().next());
      }
      loaded.put(key, counter);
    }
    return counter;
  }
}
