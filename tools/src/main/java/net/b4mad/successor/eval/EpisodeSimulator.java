package net.b4mad.successor.eval;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.BeadFilter;
import net.b4mad.successor.beads.BeadsArea;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.ParsedCompletion;
import net.b4mad.successor.chat.ToolCall;
import net.b4mad.successor.chat.ToolCallParser;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs an episode case (tau-bench style): the model works on a beads store of its own, an embedded store in a
 * fresh temporary directory seeded with the case's beads. Its calls go to Successor's own bead tools
 * ({@link BeadsArea}: the same argument names, the same input schemas, the same result JSON); a call they refuse
 * is answered with {@code {"error": "..."}} and the episode goes on. It ends at a turn without a tool call or
 * after {@code max_turns} turns; then the {@code final} predicates are checked against the store.
 */
public final class EpisodeSimulator {

  /** The tools an episode can run. */
  public static final List<String> TOOLS =
      List.of("bead_create", "bead_update", "bead_close", "bead_show", "beads_list", "beads_ready", "bead_dep_add");

  /** Seeded beads without timestamps get these, a minute apart in file order, so listings come out the same every run. */
  private static final Instant SEEDED_AT = Instant.parse("2025-01-01T00:00:00Z");

  /** The fields of a bead in beads' JSON shape that a case may seed. */
  private static final Set<String> SEED_FIELDS = Set.of("id", "title", "description", "notes", "status", "priority",
      "issue_type", "labels", "dependencies", "created_at", "updated_at", "closed_at", "close_reason");

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  /** Each bead tool's input schema, parsed on first use: the text is the same in every episode and every call. */
  private final Map<String, Map<String, Object>> schemas = new HashMap<>();

  /** One executed call: what was called, with what, and the tool message the model got back. */
  public record ToolResult(String name, JsonNode arguments, String result) {}

  /** One assistant turn: the model's raw output and its calls. */
  public record Turn(String output, List<ToolResult> calls) {}

  /**
   * @param jsonValid every {@code <tool_call>} block of every turn parsed
   * @param toolSelection every call named a tool the case offers
   * @param arguments every call's arguments passed its tool's input schema
   * @param failures the final predicates that do not hold, explained; empty when the episode succeeded
   */
  public record Result(List<Turn> turns, boolean jsonValid, boolean toolSelection, boolean arguments, List<String> failures) {

    public boolean passed() {
      return failures.isEmpty();
    }
  }

  public Result run(EvalCase evalCase, Expectation.Episode episode, Responder responder) {
    Path dir;
    try {
      dir = Files.createTempDirectory("successor-episode-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary directory for an episode: " + e.getMessage(), e);
    }
    try {
      // The directory's name is the id prefix of beads created when none were seeded.
      Path repo = dir.resolve("episode");
      seed(repo, episode.beads());
      Map<String, ToolDefinition> tools = new HashMap<>();
      new BeadsArea(new EmbeddedBeads(repo)).tools().forEach(tool -> tools.put(tool.name(), tool));
      Set<String> offered = evalCase.toolNames();

      List<ChatMessage> messages = new ArrayList<>(evalCase.messages());
      List<Turn> turns = new ArrayList<>();
      boolean jsonValid = true;
      boolean toolSelection = true;
      boolean arguments = true;
      for (int turn = 0; turn < episode.maxTurns(); turn++) {
        String output = responder.respond(new Conversation(messages, evalCase.tools(), true, evalCase.enableThinking()));
        ParsedCompletion parsed = ToolCallParser.parse(output);
        jsonValid &= EvalRunner.toolCallErrors(parsed).isEmpty();
        messages.add(new ChatMessage(ChatMessage.ASSISTANT, parsed.content(),
            parsed.reasoning().isEmpty() ? null : parsed.reasoning(), parsed.toolCalls()));
        List<ToolResult> results = new ArrayList<>();
        for (ToolCall call : parsed.toolCalls()) {
          String result;
          if (!offered.contains(call.name())) {
            toolSelection = false;
            result = error("there is no tool " + call.name() + "; the tools are " + offered);
          } else {
            ToolDefinition tool = tools.get(call.name());
            Map<String, Object> given = Json.MAPPER.convertValue(call.arguments(), MAP);
            Map<String, Object> schema =
                schemas.computeIfAbsent(tool.name(), name -> Json.toMap(Json.MAPPER.readTree(tool.inputSchema())));
            var check = validator.validate(schema, given);
            if (check.valid()) {
              result = execute(tool, given, repo);
            } else {
              arguments = false;
              result = error("invalid arguments for " + call.name() + ": " + check.errorMessage());
            }
          }
          results.add(new ToolResult(call.name(), call.arguments(), result));
          messages.add(ChatMessage.tool(result));
        }
        turns.add(new Turn(output, results));
        if (parsed.toolCalls().isEmpty()) {
          break;
        }
      }

      List<Bead> end = new EmbeddedBeads(repo).list(BeadFilter.everything());
      List<String> failures = new ArrayList<>();
      for (BeadPredicate predicate : episode.finalState()) {
        String failure = predicate.failure(end);
        if (failure != null) {
          failures.add(failure);
        }
      }
      return new Result(turns, jsonValid, toolSelection, arguments, failures);
    } finally {
      delete(dir);
    }
  }

  /** The tool's result as the MCP tool's structured content, or its refusal as {@code {"error": ...}}. */
  private static String execute(ToolDefinition tool, Map<String, Object> arguments, Path repo) {
    try {
      Object result = tool.handler().call(new net.b4mad.successor.mcp.ToolCall(arguments, ToolContext.detached(tool.name())));
      return Json.write(Json.toMap(result));
    } catch (ToolException | IllegalArgumentException e) {
      // The store names its temporary file; a path that changes from run to run would make prompts differ.
      return error(String.valueOf(e.getMessage()).replace(repo.toString(), "."));
    } catch (Exception e) {
      throw new IllegalStateException(tool.name() + " failed in an episode: " + e.getMessage(), e);
    }
  }

  private static String error(String message) {
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("error", message);
    return Json.write(error);
  }

  /** Writes the beads as the lines of the store's {@code issues.jsonl}, exactly as given (ids included). */
  private static void seed(Path repo, List<Bead> beads) {
    Path file = repo.resolve(EmbeddedBeads.DIR).resolve(EmbeddedBeads.FILE);
    StringBuilder lines = new StringBuilder();
    beads.forEach(bead -> lines.append(Json.write(bead)).append('\n'));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, lines.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seed the episode's beads in " + file + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    try {
      AtomicFiles.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the episode directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads an episode's starting beads (beads' JSON shape): {@code status} defaults to open, {@code priority} to
   * 2, {@code issue_type} to task; {@code dependencies} are {@code [{"depends_on_id", "type"}]} with type blocks
   * by default, and must name beads of the list.
   */
  static List<Bead> seedBeads(JsonNode beads) {
    if (beads == null || beads.isNull()) {
      return List.of();
    }
    if (!beads.isArray()) {
      throw new IllegalArgumentException("expect.episode.beads must be an array of beads");
    }
    List<Bead> seeded = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < beads.size(); i++) {
      String at = "expect.episode.beads[" + i + "]";
      JsonNode given = beads.get(i);
      if (!given.isObject()) {
        throw new IllegalArgumentException(at + " must be an object, got " + ToolCallChecker.show(given));
      }
      for (var field : given.properties()) {
        if (!SEED_FIELDS.contains(field.getKey())) {
          throw new IllegalArgumentException(
              at + ": unknown field '" + field.getKey() + "'; a bead has " + SEED_FIELDS.stream().sorted().toList());
        }
      }
      ObjectNode filled = ((ObjectNode) given).deepCopy();
      if (!filled.has("priority")) {
        filled.put("priority", 2);
      }
      String created = SEEDED_AT.plusSeconds(60L * i).toString();
      if (!filled.has("created_at")) {
        filled.put("created_at", created);
      }
      Bead bead;
      try {
        bead = Json.MAPPER.treeToValue(filled, Bead.class);
      } catch (JacksonException e) {
        throw new IllegalArgumentException(at + ": " + e.getOriginalMessage(), e);
      }
      if (bead.id() == null || bead.id().isBlank() || bead.title() == null || bead.title().isBlank()) {
        throw new IllegalArgumentException(at + " needs an 'id' and a 'title'");
      }
      if (!ids.add(bead.id())) {
        throw new IllegalArgumentException(at + ": a second bead " + bead.id());
      }
      if (!Bead.STATUSES.contains(bead.status())) {
        throw new IllegalArgumentException(at + ": status must be one of " + Bead.STATUSES + ", got '" + bead.status() + "'");
      }
      if (!Bead.TYPES.contains(bead.issueType())) {
        throw new IllegalArgumentException(at + ": issue_type must be one of " + Bead.TYPES + ", got '" + bead.issueType() + "'");
      }
      if (bead.priority() < 0 || bead.priority() > 4) {
        throw new IllegalArgumentException(at + ": priority must be 0 to 4, got " + bead.priority());
      }
      List<Bead.Dependency> edges = new ArrayList<>();
      for (Bead.Dependency edge : bead.dependencies()) {
        if (edge.dependsOnId() == null) {
          throw new IllegalArgumentException(at + ": a dependency is {\"depends_on_id\": \"...\", \"type\": \"blocks\"}");
        }
        String type = edge.type() == null ? Bead.BLOCKS : edge.type();
        if (!Bead.DEPENDENCY_TYPES.contains(type)) {
          throw new IllegalArgumentException(at + ": a dependency type is one of " + Bead.DEPENDENCY_TYPES + ", got '" + type + "'");
        }
        edges.add(new Bead.Dependency(bead.id(), edge.dependsOnId(), type, bead.createdAt()));
      }
      seeded.add(new Bead(bead.id(), bead.title(), bead.description(), bead.notes(), bead.status(), bead.priority(),
          bead.issueType(), bead.labels(), edges, bead.createdAt(),
          bead.updatedAt() == null ? bead.createdAt() : bead.updatedAt(), bead.closedAt(), bead.closeReason()));
    }
    for (Bead bead : seeded) {
      for (Bead.Dependency edge : bead.dependencies()) {
        if (!ids.contains(edge.dependsOnId())) {
          throw new IllegalArgumentException("expect.episode.beads: " + bead.id() + " depends on " + edge.dependsOnId()
              + ", which is not among the episode's beads " + ids);
        }
      }
    }
    return seeded;
  }
}
