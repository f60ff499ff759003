package net.b4mad.successor.pipeline;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.BeadFilter;
import net.b4mad.successor.beads.BeadUpdate;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * Bead-triggered retraining: each poll takes the ready beads with the label (once each, ever: the claim is a row
 * in the workspace database, so a restart never runs a bead twice), marks them in_progress, starts a pipeline
 * with the settings in the bead's description (a JSON object, alone or in a ```json block), and closes each bead
 * whose pipeline ended with the outcome: promoted or not, and the deltas. A bead whose settings do not validate,
 * or whose pipeline fails, is set blocked with the reason.
 */
public final class Watcher {

  private static final Pattern JSON_BLOCK = Pattern.compile("```json\\s*(\\{.*?})\\s*```", Pattern.DOTALL);

  /** What one poll did. */
  public record Poll(List<String> started, List<String> closed, List<String> blocked) {}

  private final Workspace workspace;
  private final Beads beads;
  private final Pipelines pipelines;
  private final String label;
  private final Consumer<String> log;
  // A bead is held to what an MCP call of pipeline_retrain would be.
  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
  private final Map<String, Object> schema = Json.toMap(Json.MAPPER.readTree(PipelineArea.INPUT));

  public Watcher(Workspace workspace, Beads beads, Pipelines pipelines, String label, Consumer<String> log) {
    this.workspace = workspace;
    this.beads = beads;
    this.pipelines = pipelines;
    this.label = label;
    this.log = log;
  }

  public Poll poll() {
    Poll poll = new Poll(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Bead bead : beads.ready(new BeadFilter(null, label, null, 500))) {
      if (claim(bead.id())) {
        start(bead, poll);
      }
    }
    for (String[] running : running()) {
      finishIfDone(running[0], running[1], poll);
    }
    return poll;
  }

  private void start(Bead bead, Poll poll) {
    beads.update(bead.id(), new BeadUpdate("in_progress", "Taken by successor watch: starting a retraining pipeline.",
        List.of(), List.of()));
    try {
      JsonNode settings = settings(bead);
      JsonSchemaValidator.ValidationResponse response = validator.validate(schema, Json.toMap(settings));
      if (!response.valid()) {
        throw new IllegalArgumentException("its settings do not match pipeline_retrain's arguments: "
            + response.errorMessage());
      }
      ((tools.jackson.databind.node.ObjectNode) settings).put("bead_id", bead.id());
      Pipelines.Pipeline pipeline = pipelines.start(settings, ToolContext.detached("watch"));
      record(bead.id(), pipeline.id(), null);
      beads.update(bead.id(), BeadUpdate.notes("Pipeline " + pipeline.id() + " queued: "
          + String.join(", ", pipeline.steps().stream().map(step -> step.step() + " " + step.jobId()).toList())));
      log.accept("bead " + bead.id() + ": pipeline " + pipeline.id() + " started");
      poll.started().add(bead.id());
    } catch (RuntimeException e) {
      String reason = "cannot retrain from this bead: " + e.getMessage()
          + ". Put the settings in the description as a JSON object (pipeline_retrain's arguments, e.g."
          + " {\"model\": \"/models/Qwen3-8B\", \"sft\": {\"max_steps\": 200}}), then set it open again.";
      record(bead.id(), null, "invalid: " + e.getMessage());
      beads.update(bead.id(), new BeadUpdate("blocked", reason, List.of(), List.of()));
      log.accept("bead " + bead.id() + ": " + reason);
      poll.blocked().add(bead.id());
    }
  }

  /** The pipeline settings a bead carries: its description as JSON, or the first ```json block in it. */
  static JsonNode settings(Bead bead) {
    String description = bead.description() == null ? "" : bead.description().strip();
    Matcher block = JSON_BLOCK.matcher(description);
    String json = description.startsWith("{") ? description : block.find() ? block.group(1) : null;
    if (json == null) {
      throw new IllegalArgumentException("its description holds no JSON object of settings");
    }
    JsonNode settings;
    try {
      settings = Json.MAPPER.readTree(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("its settings are not valid JSON (" + e.getMessage() + ")", e);
    }
    if (!settings.isObject()) {
      throw new IllegalArgumentException("its settings must be a JSON object");
    }
    return settings;
  }

  private void finishIfDone(String beadId, String pipelineId, Poll poll) {
    Pipelines.Pipeline pipeline = pipelines.status(pipelineId);
    if (pipeline.state().equals("running")) {
      return;
    }
    if (pipeline.state().equals("failed")) {
      String reason = "Pipeline " + pipelineId + " failed: " + pipeline.failure();
      beads.update(beadId, new BeadUpdate("blocked", reason, List.of(), List.of()));
      record(beadId, null, reason);
      poll.blocked().add(beadId);
      return;
    }
    JsonNode outcome = pipeline.outcome();
    String line = (outcome.path("promoted").asBoolean() ? "promoted " + outcome.path("candidate").asString()
        : "not promoted") + "; deltas " + Json.write(outcome.path("deltas")) + "; "
        + String.join("; ", outcome.path("reasons").valueStream().map(JsonNode::asString).toList());
    beads.close(beadId, line.length() > 1900 ? line.substring(0, 1900) + "..." : line);
    record(beadId, null, line);
    log.accept("bead " + beadId + ": " + line);
    poll.closed().add(beadId);
  }

  /**
   * Takes the bead if no poll (of any watcher, before any restart) took it before, or took it only to refuse its
   * settings: such a bead, fixed and ready again, started nothing yet.
   */
  private boolean claim(String beadId) {
    return workspace.store().write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO watched_beads (bead_id, claimed_at) VALUES (?, ?) ON CONFLICT (bead_id) DO UPDATE SET"
              + " claimed_at = excluded.claimed_at, outcome = NULL, finished_at = NULL"
              + " WHERE watched_beads.pipeline_id IS NULL AND watched_beads.outcome LIKE 'invalid:%'")) {
        insert.setString(1, beadId);
        insert.setString(2, Instant.now().toString());
        return insert.executeUpdate() == 1;
      }
    });
  }

  /** The claim's pipeline (null when none started) and, once it ended, its outcome. */
  private void record(String beadId, String pipelineId, String outcome) {
    workspace.store().write(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE watched_beads SET pipeline_id ="
          + " COALESCE(?, pipeline_id), outcome = ?, finished_at = ? WHERE bead_id = ?")) {
        update.setString(1, pipelineId);
        update.setString(2, outcome);
        update.setString(3, outcome == null ? null : Instant.now().toString());
        update.setString(4, beadId);
        update.executeUpdate();
      }
      return null;
    });
  }

  private List<String[]> running() {
    return workspace.store().read(connection -> {
      List<String[]> rows = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT bead_id, pipeline_id FROM watched_beads WHERE finished_at IS NULL AND pipeline_id IS NOT NULL");
          ResultSet result = select.executeQuery()) {
        while (result.next()) {
          rows.add(new String[] {result.getString(1), result.getString(2)});
        }
      }
      return rows;
    });
  }
}
