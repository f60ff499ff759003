package net.b4mad.successor.beads;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;

/** Beads: the issues that track training runs, evals and pipeline steps, through bd or the embedded store. */
public final class BeadsArea implements ToolArea {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private static final String ID =
      """
      {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$", "description": "%s"}""";

  private static final String LABELS =
      """
      {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^,]+$"},
        "maxItems": 50,
        "uniqueItems": true,
        "description": "%s"
      }""";

  private static final String BEAD =
      """
      {
        "type": "object",
        "description": "A bead in beads' own JSON shape (a line of .beads/issues.jsonl); empty fields are left out.",
        "properties": {
          "id": {"type": "string", "description": "prefix-hash, e.g. successor-a3f8, or <parent>.<n> for a child."},
          "title": {"type": "string"},
          "description": {"type": "string"},
          "notes": {"type": "string", "description": "Notes appended over time, one per line."},
          "status": {"type": "string", "description": "open, in_progress, blocked, deferred or closed."},
          "priority": {"type": "integer", "description": "0 (critical) to 4 (backlog)."},
          "issue_type": {"type": "string"},
          "labels": {"type": "array", "items": {"type": "string"}},
          "dependencies": {
            "type": "array",
            "description": "Edges: issue_id depends on depends_on_id; type blocks (waits for it to close), parent-child (belongs to it), related or discovered-from.",
            "items": {
              "type": "object",
              "properties": {
                "issue_id": {"type": "string"}, "depends_on_id": {"type": "string"}, "type": {"type": "string"},
                "created_at": {"type": "string"}
              },
              "required": ["depends_on_id", "type"]
            }
          },
          "created_at": {"type": "string", "description": "RFC 3339."},
          "updated_at": {"type": "string", "description": "RFC 3339."},
          "closed_at": {"type": "string", "description": "RFC 3339; only on closed beads."},
          "close_reason": {"type": "string"}
        },
        "required": ["id", "title", "status", "priority", "issue_type"]
      }""";

  private static final String CREATE_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "title": {"type": "string", "minLength": 1, "maxLength": 500, "description": "What the work is, e.g. 'SFT run: tools-v3 on Qwen3-8B'."},
          "type": {"type": "string", "enum": %s, "default": "task", "description": "The kind of work."},
          "priority": {"type": "integer", "minimum": 0, "maximum": 4, "default": 2, "description": "0 critical, 1 high, 2 medium, 3 low, 4 backlog."},
          "description": {"type": "string", "maxLength": 20000, "description": "Why the work exists and what done means."},
          "labels": %s,
          "depends_on": {"type": "array", "items": %s, "maxItems": 50, "uniqueItems": true, "description": "Ids of beads this one waits for (blocks dependencies): it is not ready until all of them are closed, e.g. the training run an eval needs."},
          "parent": %s
        },
        "required": ["title"],
        "additionalProperties": false
      }
      """
          .formatted(Json.write(Bead.TYPES),
              LABELS.formatted("Labels to find the bead by later, e.g. the dataset or model name. No commas."),
              ID.formatted("A bead id."),
              ID.formatted("The epic or bead this one is part of (a parent-child dependency); the new bead's id becomes <parent>.<n>."));

  private static final String UPDATE_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "id": %s,
          "status": {"type": "string", "enum": %s, "description": "The new status: in_progress when work starts, blocked when it cannot go on, deferred to put it off, open to put it back. Close a bead with bead_close."},
          "notes": {"type": "string", "minLength": 1, "maxLength": 20000, "description": "Text appended to the bead's notes on a new line (progress, metrics, findings); earlier notes are kept."},
          "add_labels": %s,
          "remove_labels": %s
        },
        "required": ["id"],
        "anyOf": [{"required": ["status"]}, {"required": ["notes"]}, {"required": ["add_labels"]}, {"required": ["remove_labels"]}],
        "additionalProperties": false
      }
      """
          .formatted(ID.formatted("The bead to change."), Json.write(BeadUpdate.STATUSES),
              LABELS.formatted("Labels to add. No commas."), LABELS.formatted("Labels to remove."));

  private static final String CLOSE_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "id": %s,
          "reason": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "Why it is closed, e.g. 'done: eval accuracy 0.91' or 'abandoned: dataset too small'. Default: Closed."}
        },
        "required": ["id"],
        "additionalProperties": false
      }
      """
          .formatted(ID.formatted("The bead to close."));

  private static final String SHOW_INPUT =
      """
      {
        "type": "object",
        "properties": {"id": %s},
        "required": ["id"],
        "additionalProperties": false
      }
      """
          .formatted(ID.formatted("The bead to show, e.g. successor-a3f8."));

  private static final String DEP_ADD_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "from": %s,
          "to": %s,
          "type": {"type": "string", "enum": %s, "default": "blocks", "description": "blocks: from waits for to (not ready, and cannot be closed, until to is closed); parent-child: from is part of the epic to; related and discovered-from: links that do not change what is ready."}
        },
        "required": ["from", "to"],
        "additionalProperties": false
      }
      """
          .formatted(ID.formatted("The bead that depends."), ID.formatted("The bead it depends on."),
              Json.write(Bead.DEPENDENCY_TYPES));

  private static final String FILTER_PROPERTIES =
      """
          "label": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^,]+$", "description": "Only beads with this label."},
          "type": {"type": "string", "enum": %s, "description": "Only beads of this type."},
          "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50, "description": "At most this many."}"""
          .formatted(Json.write(Bead.TYPES));

  private static final String LIST_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "status": {"type": "string", "enum": %s, "description": "Only beads with this status; all for every bead. Leave it out for every bead that is not closed."},
      %s
        },
        "additionalProperties": false
      }
      """
          .formatted(Json.write(statusesAndAll()), FILTER_PROPERTIES);

  private static final String READY_INPUT =
      """
      {
        "type": "object",
        "properties": {
      %s
        },
        "additionalProperties": false
      }
      """
          .formatted(FILTER_PROPERTIES);

  private static final String LIST_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "count": {"type": "integer", "description": "How many beads are listed."},
          "truncated": {"type": "boolean", "description": "True when more beads match than the limit allowed."},
          "beads": {"type": "array", "items": %s}
        },
        "required": ["count", "truncated", "beads"]
      }
      """
          .formatted(BEAD);

  /** What {@code beads_list} and {@code beads_ready} return. */
  public record BeadList(int count, boolean truncated, List<Bead> beads) {}

  private final Beads beads;

  public BeadsArea(Beads beads) {
    this.beads = beads;
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "bead_create",
            "Create a bead",
            "Create a bead (a beads issue) to track a piece of work: a training run, an eval, a pipeline step, or a"
                + " task you found. Give a title and, if you like, a type (task by default), a priority from 0"
                + " (critical) to 4 (backlog, default 2), a description, labels, the ids of beads it waits for"
                + " (depends_on: it is not ready until they are closed) and a parent (its id then becomes"
                + " <parent>.<n>). Uses the bd command when it is installed, else Successor's embedded store in"
                + " .beads/issues.jsonl, which bd can import. Returns the new bead in beads' JSON shape, with its id.",
            CREATE_INPUT,
            BEAD,
            new ToolHints(false, false, false),
            this::create),
        new ToolDefinition(
            "bead_update",
            "Update a bead",
            "Change a bead: set its status (in_progress when you start, blocked when it cannot go on, deferred, or"
                + " open again; close it with bead_close), append a line to its notes (progress, metrics, what you"
                + " found; earlier notes are kept), add or remove labels. Give at least one change. Returns the"
                + " bead as it is now.",
            UPDATE_INPUT,
            BEAD,
            new ToolHints(false, false, false),
            this::update),
        new ToolDefinition(
            "bead_close",
            "Close a bead",
            "Close a bead when its work is done or given up, with a reason such as 'done: eval accuracy 0.91'."
                + " A bead that still waits for an open bead (a blocks dependency) cannot be closed: close that one"
                + " first. Closing a closed bead changes nothing. Returns the closed bead, with closed_at and"
                + " close_reason.",
            CLOSE_INPUT,
            BEAD,
            new ToolHints(false, false, true),
            this::close),
        new ToolDefinition(
            "beads_list",
            "List beads",
            "List beads, highest priority first and newest first within a priority, filtered by status (by"
                + " default every bead that is not closed; 'all' includes the closed ones), label and type. Use it"
                + " to find the bead of a run or an eval by its label. Default limit 50, at most 500. Read-only."
                + " Returns {count, truncated, beads} with each bead in beads' JSON shape.",
            LIST_INPUT,
            LIST_OUTPUT,
            ToolHints.READ_ONLY,
            call -> listed(call, beads::list)),
        new ToolDefinition(
            "beads_ready",
            "Ready beads",
            "The beads ready to work on now, as bd ready finds them: open beads with nothing open in the way (no"
                + " blocks dependency on a bead that is not closed, and no parent that is blocked so). Highest"
                + " priority first, oldest first within a priority; filter by label and type. Call it to pick the"
                + " next step of a pipeline. Read-only. Returns {count, truncated, beads}.",
            READY_INPUT,
            LIST_OUTPUT,
            ToolHints.READ_ONLY,
            call -> listed(call, beads::ready)),
        new ToolDefinition(
            "bead_show",
            "Show a bead",
            "One bead by id, in beads' JSON shape: title, description, notes, status, priority, issue_type,"
                + " labels, dependencies (edges {issue_id, depends_on_id, type}), created_at, updated_at and"
                + " closed_at (RFC 3339) and close_reason. Read-only.",
            SHOW_INPUT,
            BEAD,
            ToolHints.READ_ONLY,
            call -> beads.show(call.string("id", null))),
        new ToolDefinition(
            "bead_dep_add",
            "Add a dependency",
            "Make one bead depend on another, as bd dep add does: with type blocks (the default) the bead from"
                + " waits for the bead to: it is not ready, and cannot be closed, until to is closed. parent-child"
                + " makes from part of the epic to; related and discovered-from only link them. Adding an edge"
                + " that exists changes nothing. Returns the bead from, with its dependencies.",
            DEP_ADD_INPUT,
            BEAD,
            new ToolHints(false, false, true),
            this::addDependency));
  }

  private Bead addDependency(ToolCall call) {
    String from = call.string("from", null);
    beads.addDependency(from, call.string("to", null), call.string("type", Bead.BLOCKS));
    return beads.show(from);
  }

  private Bead create(ToolCall call) {
    return beads.create(
        new NewBead(
            call.string("title", null),
            call.string("type", "task"),
            (int) call.integer("priority", NewBead.DEFAULT_PRIORITY),
            call.string("description", null),
            call.strings("labels"),
            call.strings("depends_on"),
            call.string("parent", null)));
  }

  private Bead update(ToolCall call) {
    BeadUpdate update =
        new BeadUpdate(
            call.string("status", null),
            call.string("notes", null),
            call.strings("add_labels"),
            call.strings("remove_labels"));
    if (update.isEmpty()) {
      throw new ToolException("bead_update needs a change: status, notes, add_labels or remove_labels");
    }
    return beads.update(call.string("id", null), update);
  }

  private Bead close(ToolCall call) {
    return beads.close(call.string("id", null), call.string("reason", null));
  }

  private interface Query {
    List<Bead> run(BeadFilter filter);
  }

  /** Asks for one more than the limit, to tell whether there were more. */
  private static BeadList listed(ToolCall call, Query query) {
    int limit = (int) call.integer("limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ToolException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    List<Bead> found =
        query.run(new BeadFilter(
            call.string("status", null), call.string("label", null), call.string("type", null), limit + 1));
    List<Bead> shown = found.stream().limit(limit).toList();
    return new BeadList(shown.size(), found.size() > limit, shown);
  }

  private static List<String> statusesAndAll() {
    List<String> statuses = new ArrayList<>(Bead.STATUSES);
    statuses.add(BeadFilter.ALL);
    return statuses;
  }
}
