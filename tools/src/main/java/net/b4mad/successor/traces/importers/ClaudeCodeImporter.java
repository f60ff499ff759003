package net.b4mad.successor.traces.importers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.b4mad.successor.traces.SkippedInput;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceToolCall;
import tools.jackson.databind.JsonNode;

/**
 * Claude Code session transcripts ({@code ~/.claude/projects/<project>/<session>.jsonl}): one session per file,
 * one JSON object per line. Lines of type {@code user} and {@code assistant} carry an Anthropic API message;
 * the others ({@code summary}, {@code system}, {@code file-history-snapshot}, ...) are bookkeeping and skipped.
 *
 * <ul>
 *   <li>The conversation is the chain of {@code parentUuid} links back from the last message, so a branch the
 *       user rewound and abandoned is left out (through {@code logicalParentUuid} across a compaction). Files
 *       without links, or with a link to a line that is missing, are read in file order.
 *   <li>Claude Code writes one line per content block of a streamed reply; consecutive assistant lines of the
 *       same API message ({@code message.id}) become one assistant message, its calls in order.
 *   <li>A {@code tool_result} block in a user line answers the earlier {@code tool_use} with its id and becomes
 *       a {@code tool} message; a user line with only tool results adds no user message.
 *   <li>Meta lines ({@code isMeta}: caveats and expansions the harness injects) and synthetic assistant lines
 *       ({@code model: <synthetic>}, e.g. "No response requested.") are not the user's or the model's words and
 *       are dropped.
 *   <li>Sidechains ({@code isSidechain}: subagent runs started by the Task tool) are conversations of their own,
 *       interleaved with the main one: each becomes its own trace, tagged {@code sidechain}, with the session
 *       id {@code <session>/sidechain/<agent or first uuid>}. Kept, since a subagent's run is a complete
 *       tool-using conversation worth training on; kept apart, since merged into the main conversation it would
 *       break the alternation of turns and the pairing of calls with results.
 * </ul>
 */
public final class ClaudeCodeImporter implements TraceImporter {

  public static final String AGENT = "claude-code";
  public static final String SIDECHAIN_TAG = "sidechain";

  private static final Set<String> LINE_TYPES =
      Set.of("user", "assistant", "summary", "system", "file-history-snapshot", "queue-operation");

  private record Line(RecordPosition position, JsonNode json) {

    String string(String field) {
      JsonNode value = json.get(field);
      return value != null && value.isString() ? value.stringValue() : null;
    }

    boolean flag(String field) {
      return json.path(field).asBoolean(false);
    }

    boolean isMessage() {
      String type = string("type");
      return ("user".equals(type) || "assistant".equals(type)) && json.path("message").isObject();
    }

    boolean isSidechain() {
      return flag("isSidechain");
    }

    /** The parent in the conversation: across a compaction boundary the logical parent. */
    String parent() {
      String parent = string("parentUuid");
      return parent != null ? parent : string("logicalParentUuid");
    }
  }

  @Override
  public String format() {
    return "claude-code";
  }

  @Override
  public String describe() {
    return "Claude Code session JSONL (~/.claude/projects/<project>/<session>.jsonl): lines {type: user|assistant|"
        + "summary, sessionId, uuid, message: {role, content blocks}}";
  }

  @Override
  public boolean recognises(JsonNode record) {
    return record.isObject()
        && !record.has("messages")
        && LINE_TYPES.contains(record.path("type").asString(""))
        && (record.has("sessionId") || record.has("uuid") || record.has("leafUuid"));
  }

  @Override
  public void read(Path file, TraceSink sink) throws IOException {
    List<Line> lines = new ArrayList<>();
    JsonRecords.read(
        file,
        new JsonRecords.Visitor() {
          @Override
          public boolean record(RecordPosition position, JsonNode record) {
            if (record.isObject()) {
              lines.add(new Line(position, record));
            } else {
              sink.skip(position.skipped("a Claude Code line must be a JSON object, got "
                  + RecordFields.describe(record)));
            }
            return true;
          }

          @Override
          public void malformed(SkippedInput skipped) {
            sink.skip(skipped);
          }
        });
    String session = sessionId(lines, file);
    boolean emitted = false;
    List<Line> main = mainChain(lines);
    Trace trace = conversation(main, file, session, null, sink);
    if (trace != null) {
      sink.accept(trace);
      emitted = true;
    }
    for (List<Line> sidechain : sidechains(lines)) {
      Line first = sidechain.get(0);
      String agentId = first.string("agentId");
      String uuid = first.string("uuid");
      String name = agentId != null ? agentId : uuid != null ? uuid : "line-" + first.position().number();
      Trace side = conversation(sidechain, file, session + "/sidechain/" + name, SIDECHAIN_TAG, sink);
      if (side != null) {
        sink.accept(side);
        emitted = true;
      }
    }
    if (!emitted && !lines.isEmpty()) {
      sink.skip(RecordPosition.wholeFile(file).skipped(
          "no user or assistant messages in this session (only summary, meta or bookkeeping lines)"));
    }
  }

  private static String sessionId(List<Line> lines, Path file) {
    for (Line line : lines) {
      String session = line.string("sessionId");
      if (session != null) {
        return session;
      }
    }
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
  }

  /** The main conversation's lines in order: the parent chain of its last message, or file order. */
  private static List<Line> mainChain(List<Line> lines) {
    List<Line> main = lines.stream().filter(line -> !line.isSidechain()).toList();
    boolean linked = main.stream().anyMatch(line -> line.json().has("parentUuid"));
    Line leaf = null;
    for (Line line : main) {
      if (line.isMessage()) {
        leaf = line;
      }
    }
    if (!linked || leaf == null) {
      return main;
    }
    Map<String, Line> byUuid = new HashMap<>();
    for (Line line : lines) {
      String uuid = line.string("uuid");
      if (uuid != null) {
        byUuid.put(uuid, line);
      }
    }
    List<Line> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Line line = leaf; line != null; ) {
      chain.add(line);
      String parent = line.parent();
      if (parent == null) {
        break;
      }
      Line next = byUuid.get(parent);
      if (next == null || !seen.add(parent)) {
        // A missing line (skipped as malformed, or in another file): file order loses nothing.
        return main;
      }
      line = next;
    }
    Collections.reverse(chain);
    return chain;
  }

  /** The sidechains, each a conversation rooted at a line whose parent is not in a sidechain. */
  private static List<List<Line>> sidechains(List<Line> lines) {
    Map<String, List<Line>> chainOf = new HashMap<>();
    List<List<Line>> ordered = new ArrayList<>();
    boolean linked = lines.stream().anyMatch(line -> line.json().has("parentUuid"));
    for (Line line : lines) {
      if (!line.isSidechain()) {
        continue;
      }
      String parent = line.parent();
      List<Line> chain = parent == null ? null : chainOf.get(parent);
      if (chain == null && !linked && !ordered.isEmpty()) {
        chain = ordered.get(0);
      }
      if (chain == null) {
        chain = new ArrayList<>();
        ordered.add(chain);
      }
      chain.add(line);
      String uuid = line.string("uuid");
      if (uuid != null) {
        chainOf.put(uuid, chain);
      }
    }
    return ordered;
  }

  /** One conversation from its lines; null when none of them is a message. Bad lines are skipped alone. */
  private static Trace conversation(List<Line> lines, Path file, String session, String tag, TraceSink sink) {
    List<TraceMessage> messages = new ArrayList<>();
    Map<String, String> toolNames = new LinkedHashMap<>();
    String lastAssistantId = null;
    Instant started = null;
    Instant ended = null;
    for (Line line : lines) {
      if (!line.isMessage() || line.flag("isMeta")) {
        continue;
      }
      JsonNode message = line.json().get("message");
      if ("<synthetic>".equals(message.path("model").asString(""))) {
        continue;
      }
      try {
        List<JsonNode> blocks = AnthropicContent.blocks(message.get("content"));
        if ("assistant".equals(line.string("type"))) {
          TraceMessage reply = AnthropicContent.assistant(blocks, toolNames);
          String id = RecordFields.optionalString(message, "id");
          int last = messages.size() - 1;
          if (id != null && id.equals(lastAssistantId) && last >= 0 && messages.get(last).role().equals("assistant")) {
            messages.set(last, merge(messages.get(last), reply));
          } else {
            messages.add(reply);
          }
          lastAssistantId = id;
        } else {
          messages.addAll(AnthropicContent.user(blocks, toolNames));
          lastAssistantId = null;
        }
      } catch (IllegalArgumentException e) {
        sink.skip(line.position().skipped("not a Claude Code message: " + e.getMessage()));
        continue;
      }
      Instant at = RecordFields.instant(line.json().get("timestamp"));
      if (at != null) {
        started = started == null || at.isBefore(started) ? at : started;
        ended = ended == null || at.isAfter(ended) ? at : ended;
      }
    }
    if (messages.isEmpty()) {
      return null;
    }
    TraceMetadata metadata =
        new TraceMetadata(
            AGENT, "claude-code:" + file.getFileName(), session, null, started, ended, null,
            tag == null ? List.of() : List.of(tag));
    return new Trace(null, messages, List.of(), metadata);
  }

  /** Two lines of one streamed reply as one assistant message. */
  private static TraceMessage merge(TraceMessage first, TraceMessage second) {
    List<TraceToolCall> calls = Stream.concat(first.toolCalls().stream(), second.toolCalls().stream()).toList();
    return TraceMessage.assistant(join(first.content(), second.content()), join(first.reasoning(), second.reasoning()), calls);
  }

  private static String join(String first, String second) {
    if (first == null) {
      return second;
    }
    return second == null ? first : first + "\n\n" + second;
  }
}
