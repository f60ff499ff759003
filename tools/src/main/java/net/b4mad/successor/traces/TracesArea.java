package net.b4mad.successor.traces;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.mcp.ToolHints;
import net.b4mad.successor.traces.importers.TraceFormats;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/** Traces: import them from files, log them live, search them, read one as a resource. */
public final class TracesArea implements ToolArea {

  public static final String TRACE_URI_PREFIX = "successor://traces/";

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 500;

  private static final int FIRST_MESSAGE_CHARS = 200;

  private static final String TAGS_SCHEMA =
      """
      {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[^|]+$"},
        "maxItems": 20,
        "uniqueItems": true,
        "description": "Labels added to every trace (e.g. the project or the task kind), for traces_search and for choosing what goes into a dataset. No '|' inside a tag."
      }""";

  private static final String KEEP_EMAILS_SCHEMA =
      """
      {
        "type": "boolean",
        "default": false,
        "description": "Keep e-mail addresses instead of replacing them with [REDACTED_EMAIL]. API keys, tokens, private keys and URL passwords are scrubbed either way."
      }""";

  private static final String IMPORT_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "path": {
            "type": "string",
            "minLength": 1,
            "description": "A trace file, or a directory whose .json/.jsonl/.ndjson files are all imported (recursively; hidden files and folders skipped), e.g. ~/.claude/projects/my-project. Absolute, or relative to the workspace; it must lie inside the workspace or a directory the server was started with --allow-dir."
          },
          "format": {
            "type": "string",
            "enum": %s,
            "description": "The format of the files. Leave it out to detect it per file. openai: {messages, tools} with tool_calls; anthropic: Messages API with tool_use/tool_result blocks; claude-code: Claude Code session JSONL; sharegpt: LLaMA-Factory conversations with function_call/observation; canonical: Successor's own trace JSON."
          },
          "agent": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "The agent these traces are from (e.g. your own name), stored with each trace; replaces the agent a source names (claude-code for Claude Code sessions)."
          },
          "tags": %s,
          "keep_emails": %s
        },
        "required": ["path"],
        "additionalProperties": false
      }
      """
          .formatted(Json.write(TraceFormats.names()), TAGS_SCHEMA, KEEP_EMAILS_SCHEMA);

  private static final String SKIPPED_SCHEMA =
      """
      {
        "type": "array",
        "description": "Input that could not be used; everything else was imported.",
        "items": {
          "type": "object",
          "properties": {
            "file": {"type": "string"},
            "line": {"type": "integer", "description": "1-based line of a JSONL file, 0-based index of a JSON array element (the reason says which), 0 for a whole file."},
            "reason": {"type": "string"}
          },
          "required": ["file", "line", "reason"]
        }
      }""";

  private static final String SCRUBBED_SCHEMA =
      """
      {
        "type": "object",
        "description": "Secrets replaced by placeholders, per kind (openai_key, github_token, email, ...), in all the conversations read, duplicates included.",
        "additionalProperties": {"type": "integer"}
      }""";

  private static final String IMPORT_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "imported": {"type": "integer", "description": "Conversations stored that were not stored before."},
          "duplicates": {"type": "integer", "description": "Conversations already stored (same content), not stored again."},
          "skipped": %s,
          "skipped_count": {"type": "integer", "description": "All skipped input; 'skipped' lists at most 100."},
          "scrubbed": %s,
          "files": {"type": "integer", "description": "Files read."},
          "formats": {"type": "object", "description": "Conversations read per format.", "additionalProperties": {"type": "integer"}}
        },
        "required": ["imported", "duplicates", "skipped", "skipped_count", "scrubbed", "files", "formats"]
      }
      """
          .formatted(SKIPPED_SCHEMA, SCRUBBED_SCHEMA);

  private static final String LOG_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "conversation": {
            "type": "object",
            "description": "One conversation in the OpenAI form {\\"messages\\": [{\\"role\\": \\"system\\"|\\"user\\"|\\"assistant\\"|\\"tool\\", \\"content\\", \\"tool_calls\\": [{\\"id\\", \\"type\\": \\"function\\", \\"function\\": {\\"name\\", \\"arguments\\"}}], \\"reasoning_content\\"}, {\\"role\\": \\"tool\\", \\"tool_call_id\\", \\"content\\"}], \\"tools\\": [{\\"type\\": \\"function\\", \\"function\\": {\\"name\\", \\"description\\", \\"parameters\\"}}]}, or a trace in Successor's canonical form (as the successor://traces/{id} resource shows it).",
            "properties": {
              "messages": {"type": "array", "minItems": 1, "items": {"type": "object"}},
              "tools": {"type": "array", "items": {"type": "object"}}
            },
            "required": ["messages"]
          },
          "agent": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Who had this conversation, usually you (your agent name)."},
          "tags": %s,
          "outcome": {"type": "string", "enum": ["success", "failure"], "description": "How the task went, if you know: success or failure. Datasets can keep only successes."},
          "session_id": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Your session's id, to find its traces later."},
          "keep_emails": %s
        },
        "required": ["conversation"],
        "additionalProperties": false
      }
      """
          .formatted(TAGS_SCHEMA, KEEP_EMAILS_SCHEMA);

  private static final String LOG_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "id": {"type": "string", "description": "The trace id (from the content hash); read it at successor://traces/{id}."},
          "stored": {"type": "boolean", "description": "True when this call stored it; false when the same conversation was already stored."},
          "message_count": {"type": "integer"},
          "bead_ids": {"type": "array", "items": {"type": "string"}, "description": "Bead ids found in the conversation."},
          "scrubbed": %s
        },
        "required": ["id", "stored", "message_count", "bead_ids", "scrubbed"]
      }
      """
          .formatted(SCRUBBED_SCHEMA);

  private static final String SEARCH_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "agent": {"type": "string", "minLength": 1, "description": "Only traces of this agent (exact)."},
          "tool": {"type": "string", "minLength": 1, "description": "Only traces in which the assistant called this tool (exact name)."},
          "text": {"type": "string", "minLength": 1, "description": "Only traces whose JSON contains this text, case-insensitive."},
          "since": {"type": "string", "description": "Only traces that started at or after this ISO-8601 instant or date, e.g. 2026-11-01 or 2026-11-01T09:00:00Z. Traces without a start time never match a date range."},
          "until": {"type": "string", "description": "Only traces that started before this ISO-8601 instant or date (a date means its start, 00:00 UTC)."},
          "outcome": {"type": "string", "enum": ["success", "failure"], "description": "Only traces with this outcome."},
          "tag": {"type": "string", "minLength": 1, "description": "Only traces with this tag."},
          "bead_id": {"type": "string", "minLength": 1, "description": "Only traces that mention this bead id."},
          "session_id": {"type": "string", "minLength": 1, "description": "Only traces of this session."},
          "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 20, "description": "At most this many, newest first."}
        },
        "additionalProperties": false
      }
      """;

  private static final String SEARCH_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "count": {"type": "integer", "description": "How many traces are listed."},
          "truncated": {"type": "boolean", "description": "True when more traces match than the limit allowed."},
          "traces": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {"type": "string"},
                "agent": {"type": ["string", "null"]},
                "source": {"type": ["string", "null"]},
                "session_id": {"type": ["string", "null"]},
                "started_at": {"type": ["string", "null"], "description": "ISO-8601; null when the source had no time."},
                "message_count": {"type": "integer"},
                "tool_names": {"type": "array", "items": {"type": "string"}, "description": "Tools the assistant called."},
                "first_user_message": {"type": ["string", "null"], "description": "The first user message, cut to 200 characters."},
                "outcome": {"type": ["string", "null"]},
                "tags": {"type": "array", "items": {"type": "string"}},
                "bead_ids": {"type": "array", "items": {"type": "string"}}
              },
              "required": ["id", "message_count", "tool_names", "tags", "bead_ids"]
            }
          }
        },
        "required": ["count", "truncated", "traces"]
      }
      """;

  /** What {@code traces_log} returns. */
  public record LoggedTrace(String id, boolean stored, int messageCount, List<String> beadIds, Map<String, Integer> scrubbed) {}

  /** One line of a {@code traces_search} answer. */
  public record TraceSummary(
      String id,
      String agent,
      String source,
      String sessionId,
      String startedAt,
      int messageCount,
      List<String> toolNames,
      String firstUserMessage,
      String outcome,
      List<String> tags,
      List<String> beadIds) {}

  public record SearchResult(int count, boolean truncated, List<TraceSummary> traces) {}

  private final Workspace workspace;

  public TracesArea(Workspace workspace) {
    this.workspace = workspace;
  }

  private TraceStore store() {
    return new TraceStore(workspace.store());
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "traces_import",
            "Import traces",
            "Import conversation traces from a file or a directory into the workspace, to build training data"
                + " from later. Reads OpenAI chat ({messages, tools}), Anthropic Messages (tool_use/tool_result"
                + " blocks), Claude Code session JSONL (a session file or a project directory such as"
                + " ~/.claude/projects/<project>), ShareGPT with function_call/observation (LLaMA-Factory) and"
                + " Successor's canonical JSONL; the format is detected per file unless you pass format. Secrets"
                + " (API keys, tokens, private keys, URL passwords, e-mail addresses) are replaced by placeholders"
                + " before anything is stored. Each conversation is stored once by content hash, so importing the"
                + " same files again is safe and reports them as duplicates. Malformed lines are skipped and"
                + " reported with file and line; the rest is still imported. Returns {imported, duplicates,"
                + " skipped: [{file, line, reason}], scrubbed: {kind: count}}.",
            IMPORT_INPUT,
            IMPORT_OUTPUT,
            new ToolHints(false, false, true),
            this::importTraces),
        new ToolDefinition(
            "traces_log",
            "Log a trace",
            "Store one conversation you just had (or are having), so your successor can learn from it: the"
                + " messages with your tool calls and their results, in the OpenAI form or Successor's canonical"
                + " form, plus optionally your agent name, tags and the outcome (success or failure) if you know"
                + " it. Secrets are scrubbed first. Logging the same conversation twice stores it once; log again"
                + " with more messages as it grows (each version is its own trace). Returns the trace id, whether"
                + " it was newly stored, and what was scrubbed.",
            LOG_INPUT,
            LOG_OUTPUT,
            new ToolHints(false, false, true),
            this::log),
        new ToolDefinition(
            "traces_search",
            "Search traces",
            "Find stored traces by agent, tool called, text, start time range (since/until), outcome, tag,"
                + " bead id or session. Returns summaries, newest first: id, agent, source, start time, message"
                + " count, tools called, the first user message (cut to 200 characters), outcome and tags."
                + " Read a whole trace at the resource successor://traces/{id}. Default limit 20, at most 500."
                + " Read-only.",
            SEARCH_INPUT,
            SEARCH_OUTPUT,
            ToolHints.READ_ONLY,
            this::search));
  }

  @Override
  public List<SyncResourceTemplateSpecification> resourceTemplates() {
    McpSchema.ResourceTemplate template =
        McpSchema.ResourceTemplate.builder()
            .uriTemplate(TRACE_URI_PREFIX + "{id}")
            .name("trace")
            .title("Trace")
            .description("One stored trace as canonical JSON: messages, tools offered, metadata. Ids come from"
                + " traces_search, traces_log and the workspace's traces.")
            .mimeType("application/json")
            .build();
    return List.of(
        new SyncResourceTemplateSpecification(
            template,
            (exchange, request) -> {
              String id = request.uri().substring(Math.min(request.uri().length(), TRACE_URI_PREFIX.length()));
              if (!request.uri().startsWith(TRACE_URI_PREFIX) || id.isEmpty()) {
                throw McpError.RESOURCE_NOT_FOUND.apply(request.uri());
              }
              Trace trace = store().get(id).orElseThrow(() -> McpError.RESOURCE_NOT_FOUND.apply(request.uri()));
              return new McpSchema.ReadResourceResult(
                  List.of(new McpSchema.TextResourceContents(request.uri(), "application/json", Json.writePretty(trace))));
            }));
  }

  private ImportReport importTraces(ToolCall call) throws Exception {
    Path path = workspace.allowedRoots().resolve(call.string("path", null));
    TraceImport.Options options =
        new TraceImport.Options(
            call.string("format", null), call.string("agent", null), call.strings("tags"), scrubber(call));
    return new TraceImport(store()).run(path, options, call.context());
  }

  private LoggedTrace log(ToolCall call) {
    JsonNode conversation = Json.MAPPER.valueToTree(call.arguments().get("conversation"));
    Instant now = Instant.now();
    TraceMetadata given =
        new TraceMetadata(
            null, "live", call.string("session_id", null), null, null, null, call.string("outcome", null), null);
    Trace trace;
    try {
      trace = TraceFormats.conversation(conversation, given);
    } catch (IllegalArgumentException e) {
      throw new ToolException("conversation is neither the OpenAI form nor Successor's canonical form: "
          + e.getMessage());
    }
    TraceMetadata own = trace.metadata();
    TraceMetadata metadata =
        new TraceMetadata(
            own.agent(),
            own.source(),
            given.sessionId() != null ? given.sessionId() : own.sessionId(),
            own.beadIds(),
            own.startedAt() != null ? own.startedAt() : now,
            own.endedAt() != null ? own.endedAt() : now,
            given.outcome() != null ? given.outcome() : own.outcome(),
            own.tags());
    Map<String, Integer> scrubbed = new TreeMap<>();
    TraceImport.Options options = new TraceImport.Options(null, call.string("agent", null), call.strings("tags"), scrubber(call));
    Trace prepared = options.apply(new Trace(null, trace.messages(), trace.tools(), metadata), scrubbed);
    boolean stored = store().add(prepared);
    return new LoggedTrace(
        TraceStore.idFor(prepared.messages(), prepared.tools()),
        stored,
        prepared.messages().size(),
        prepared.metadata().beadIds(),
        scrubbed);
  }

  private SearchResult search(ToolCall call) {
    int limit = (int) call.integer("limit", DEFAULT_LIMIT);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ToolException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    TraceFilter filter =
        new TraceFilter(
            List.of(),
            call.string("agent", null),
            call.string("tool", null),
            call.string("text", null),
            instant(call, "since"),
            instant(call, "until"),
            call.string("outcome", null),
            call.string("tag", null),
            call.string("session_id", null),
            call.string("bead_id", null),
            limit + 1);
    List<Trace> found = store().select(filter);
    boolean truncated = found.size() > limit;
    List<TraceSummary> summaries = found.stream().limit(limit).map(TracesArea::summary).toList();
    return new SearchResult(summaries.size(), truncated, summaries);
  }

  static TraceSummary summary(Trace trace) {
    TraceMetadata meta = trace.metadata();
    String firstUser =
        trace.messages().stream()
            .filter(m -> m.role().equals("user") && m.content() != null)
            .map(TraceMessage::content)
            .findFirst()
            .map(text -> text.length() > FIRST_MESSAGE_CHARS ? text.substring(0, FIRST_MESSAGE_CHARS) + "..." : text)
            .orElse(null);
    List<String> tools =
        trace.messages().stream().flatMap(m -> m.toolCalls().stream()).map(TraceToolCall::name).distinct().toList();
    return new TraceSummary(
        trace.id(),
        meta == null ? null : meta.agent(),
        meta == null ? null : meta.source(),
        meta == null ? null : meta.sessionId(),
        meta == null || meta.startedAt() == null ? null : meta.startedAt().toString(),
        trace.messages().size(),
        tools,
        firstUser,
        meta == null ? null : meta.outcome(),
        meta == null ? List.of() : meta.tags(),
        meta == null ? List.of() : meta.beadIds());
  }

  /** An ISO-8601 instant, or a date meaning its first moment in UTC. */
  private static Instant instant(ToolCall call, String name) {
    String text = call.string(name, null);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ToolException(
          name + " must be an ISO-8601 date or instant such as 2026-11-01 or 2026-11-01T09:00:00Z, got '" + text + "'");
    }
  }

  private static SecretScrubber scrubber(ToolCall call) {
    return call.bool("keep_emails", false) ? SecretScrubber.keepingEmails() : SecretScrubber.all();
  }
}
