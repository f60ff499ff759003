package net.b4mad.successor.pipeline;

import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolHints;

/** pipeline_retrain and pipeline_status: the self-tuning loop as one call. */
public final class PipelineArea implements ToolArea {

  /** pipeline_retrain's input schema, which a bead's settings must also meet. */
  public static final String INPUT =
      """
      {"type": "object", "properties": {
        "model": {"type": "string", "description": "The base model directory (Hugging Face layout) to train an adapter on."},
        "dataset": {"type": "object", "description": "dataset_build's arguments (name, traces, gold_files, mix_in, eval_fraction, group_by, ...). Default: name 'retrain', the traces imported since the current production model was promoted (all traces while there is none)."},
        "sft": {"type": "object", "description": "train_sft's settings besides model and dataset (rank, lr, max_steps, qlora, ...)."},
        "dpo": {"type": "object", "description": "Add a DPO stage after SFT: train_dpo's settings besides model, adapter and dataset (beta, loss_type, lr, max_steps, ...); {} for the defaults. The pairs come from the SFT adapter's own answers to the dataset's training prompts."},
        "pairs": {"type": "object", "description": "With dpo: preference_pairs_build's sampling settings.", "properties": {
          "samples": {"type": "integer", "minimum": 1, "maximum": 64, "default": 4},
          "temperature": {"type": "number", "minimum": 0, "default": 0.8},
          "top_p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
          "top_k": {"type": "integer", "minimum": 0},
          "max_new_tokens": {"type": "integer", "minimum": 1, "maximum": 8192, "default": 512},
          "seed": {"type": "integer"},
          "limit": {"type": "integer", "minimum": 1, "description": "At most this many prompts."},
          "use_gold_when_none_pass": {"type": "boolean", "default": false}},
         "additionalProperties": false},
        "suites": {"type": "array", "items": {"type": "string"}, "description": "Eval suites for candidate and production (eval_suites lists them). Default: b4mad."},
        "eval": {"type": "object", "description": "eval_run's settings for both evals.", "properties": {
          "limit": {"type": "integer", "minimum": 1, "description": "At most this many cases of each suite (quicker, noisier)."},
          "max_new_tokens": {"type": "integer", "minimum": 1, "maximum": 8192, "default": 512},
          "temperature": {"type": "number", "minimum": 0, "default": 0},
          "top_p": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
          "top_k": {"type": "integer", "minimum": 0},
          "seed": {"type": "integer"},
          "held_out": {"type": "boolean", "default": true, "description": "Also evaluate both on the built dataset's held-out split (each assistant turn a case)."}},
         "additionalProperties": false},
        "gate": {"type": "object", "properties": {
          "min_margin": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.02},
          "max_regression": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
          "require_significance": {"type": "boolean", "default": false},
          "alpha": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.05}},
         "additionalProperties": false},
        "priority": {"type": "integer", "default": 0},
        "bead_id": {"type": "string", "description": "A bead to use as the pipeline's parent instead of a new epic."}},
       "required": ["model"], "additionalProperties": false}""";

  private static final String OUTPUT =
      """
      {"type": "object", "properties": {
        "id": {"type": "string"}, "bead_id": {"type": ["string", "null"]}, "dataset": {"type": ["string", "null"]},
        "steps": {"type": "array", "items": {"type": "object", "properties": {
          "step": {"type": "string"}, "job_id": {"type": "string"}, "bead_id": {"type": ["string", "null"]}, "state": {"type": "string"}}}},
        "state": {"type": "string", "enum": ["running", "succeeded", "failed"]},
        "outcome": {"type": ["object", "null"], "description": "Once the promote step ran: promoted, reasons, deltas per category."},
        "failure": {"type": ["string", "null"], "description": "The first step that failed or was cancelled, with its error."}},
       "required": ["id", "steps", "state"]}""";

  private final Pipelines pipelines;

  public PipelineArea(Pipelines pipelines) {
    this.pipelines = pipelines;
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition("pipeline_retrain", "Retrain (pipeline)",
            "Retrain the successor in one call: build a dataset from recent traces (and gold files), then queue SFT,"
                + " optionally preference pairs from the SFT adapter's own answers and DPO on them, an eval of the new"
                + " adapter and one of production (the base model while there is none) on the same suites and the"
                + " dataset's held-out split, and a promote step that makes the adapter production only if it passes the promotion"
                + " gate. Returns at once with the pipeline id, its parent bead and each step's job and bead; each"
                + " step's bead waits for the steps before it. Watch with pipeline_status or job_wait on the steps.",
            INPUT, OUTPUT, new ToolHints(false, false, false),
            call -> pipelines.start(Json.MAPPER.valueToTree(call.arguments()), call.context())),
        new ToolDefinition("pipeline_status", "Pipeline status",
            "A pipeline's steps with their states, and, once its promote step ran, the outcome: promoted or not, the"
                + " reasons, and the pass-rate change per category. Read-only.",
            "{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\"],"
                + " \"additionalProperties\": false}",
            OUTPUT, ToolHints.READ_ONLY, call -> pipelines.status(call.string("id", null))));
  }
}
