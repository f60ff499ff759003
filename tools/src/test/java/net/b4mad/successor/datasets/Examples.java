package net.b4mad.successor.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceToolCall;
import tools.jackson.databind.JsonNode;

/** Small conversations for the dataset tests. */
final class Examples {

  static final String READ_FILE_TOOL =
      """
      {"type": "function", "function": {"name": "read_file", "description": "Read a file.",
       "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}}""";

  static final String BD_CLOSE_TOOL =
      """
      {"type": "function", "function": {"name": "bd_close", "description": "Close a bead.",
       "parameters": {"type": "object", "properties": {"id": {"type": "string"}, "reason": {"type": "string"}}, "required": ["id"]}}}""";

  private Examples() {}

  static JsonNode json(String text) {
    return Json.MAPPER.readTree(text);
  }

  /** A trace in which the user asks to read a file and the assistant does. */
  static Trace trace(String request, String session, String bead, String started) {
    List<TraceMessage> messages =
        List.of(
            TraceMessage.system("You are a careful coding agent."),
            TraceMessage.user(request),
            TraceMessage.assistant("", null,
                List.of(new TraceToolCall("c1", "read_file", json("{\"path\": \"" + request.replace(' ', '_') + ".md\"}")))),
            TraceMessage.tool("c1", "read_file", "contents of " + request),
            TraceMessage.assistant("Done: I read it for " + request + ".", null, List.of()));
    return new Trace(null, messages, List.of(json(READ_FILE_TOOL)),
        new TraceMetadata("Brenner", "test", session, bead == null ? List.of() : List.of(bead),
            Instant.parse(started), null, "success", List.of()));
  }

  /** A distinct request text: different enough word shingles for each n. */
  static String request(int n) {
    String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
        "kilo", "lima", "mike", "november", "oscar", "papa"};
    StringBuilder text = new StringBuilder("please inspect");
    for (int i = 0; i < 12; i++) {
      text.append(' ').append(words[(n * 7 + i * (n % 5 + 1)) % words.length]).append(n * 13 + i);
    }
    return text.toString();
  }

  /** A gold example line: user, assistant closing a bead with a call, result, final answer. */
  static String goldLine(String bead) {
    return """
        {"messages": [{"role": "user", "content": "close %s, it is done"},
          {"role": "assistant", "content": null, "tool_calls": [{"id": "g1", "type": "function", "function": {"name": "bd_close", "arguments": {"id": "%s", "reason": "done"}}}]},
          {"role": "tool", "tool_call_id": "g1", "content": "closed %s"},
          {"role": "assistant", "content": "Closed %s."}],
         "tools": [%s]}"""
        .formatted(bead, bead, bead, bead, BD_CLOSE_TOOL)
        .replace("\n", " ");
  }

  /** A general chat line without tools, for mix-in files. */
  static String chatLine(int n) {
    return "{\"messages\": [{\"role\": \"user\", \"content\": \"general question " + request(n + 1000)
        + "\"}, {\"role\": \"assistant\", \"content\": \"general answer number " + n + "\"}]}";
  }

  static Path writeLines(Path file, List<String> lines) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
    return file;
  }

  /** shared/fixtures beside the checkout; tests run in the module directory. */
  static Path sharedFixture(String relative) {
    return Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures").resolve(relative);
  }
}
