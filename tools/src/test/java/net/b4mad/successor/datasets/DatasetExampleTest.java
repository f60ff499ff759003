package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Round trips of the dataset line format: from traces, from OpenAI files, through JSONL and back. */
class DatasetExampleTest {

  @Test
  void aTraceBecomesAnOpenAiLineAndReadsBackUnchanged() {
    Trace stored = Examples.trace("read the readme", "s1", "b4-1", "2026-11-01T10:00:00Z");
    Trace trace = new Trace(TraceStore.idFor(stored.messages(), stored.tools()), stored.messages(), stored.tools(), stored.metadata());
    DatasetExample example = DatasetExample.fromTrace(trace);
    JsonNode line = Json.MAPPER.readTree(example.toJsonLine());

    assertEquals(trace.id(), line.get("id").asString());
    JsonNode call = line.at("/messages/2/tool_calls/0");
    assertEquals("c1", call.get("id").asString());
    assertEquals("function", call.get("type").asString());
    assertEquals("read_file", call.at("/function/name").asString());
    assertTrue(call.at("/function/arguments").isObject(), "TRL wants arguments as an object");
    assertEquals("c1", line.at("/messages/3/tool_call_id").asString());
    assertEquals("read_file", line.at("/messages/3/name").asString());
    assertEquals("read_file", line.at("/tools/0/function/name").asString());

    DatasetExample back = DatasetExample.fromJson(line, null);
    assertEquals(example, back);
    assertEquals(example.toJsonLine(), back.toJsonLine());
    // The training text is what the trace's own conversation renders to.
    assertEquals(Qwen3ChatTemplate.render(trace.toConversation()).text(), back.render().text());
  }

  /** Every chat-template fixture that is a training example renders the same after a trip through a JSONL line. */
  @Test
  void openAiFixturesRenderExactlyAsTheOfficialTemplateAfterARoundTrip() throws Exception {
    Path dir = Examples.sharedFixture("chat-template");
    int checked = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode conversation = Json.MAPPER.readTree(Files.readString(file));
        if (conversation.path("add_generation_prompt").asBoolean(false) || conversation.has("enable_thinking")) {
          continue;
        }
        DatasetExample example = DatasetExample.withContentId(conversation, "gold");
        DatasetExample back = DatasetExample.fromJson(Json.MAPPER.readTree(example.toJsonLine()), null);
        String expected = Files.readString(dir.resolve(file.getFileName().toString().replace(".json", ".expected.txt")), StandardCharsets.UTF_8);
        assertEquals(expected, back.render().text(), file.getFileName().toString());
        checked++;
      }
    }
    assertTrue(checked >= 8, "checked " + checked + " fixtures");
  }

  @Test
  void wireFormArgumentsBecomeObjectsAndBrokenOnesStayForValidation() {
    JsonNode openAi = Json.MAPPER.readTree(readString(Examples.sharedFixture("traces/openai-chat-tool-calls.json")));
    DatasetExample example = DatasetExample.withContentId(openAi, "gold");
    assertTrue(example.id().matches("gold-[0-9a-f]{16}"), example.id());
    JsonNode assistant = example.messages().get(1);
    assertTrue(assistant.at("/tool_calls/0/function/arguments").isObject());
    assertFalse(assistant.has("function_call"), "fields outside the form are dropped");
    assertEquals(example.id(), DatasetExample.withContentId(openAi, "gold").id(), "ids are content hashes");

    DatasetExample broken = DatasetExample.withContentId(Examples.json(
        "{\"messages\": [{\"role\": \"assistant\", \"tool_calls\": [{\"name\": \"f\", \"arguments\": \"{not json\"}]}]}"), "gold");
    JsonNode call = broken.messages().get(0).at("/tool_calls/0");
    assertEquals("{not json", call.at("/function/arguments").asString(), "bare calls get the function wrapper");
  }

  @Test
  void shareGptToolsAsAStringAreReadAndNonExamplesAreRefused() {
    DatasetExample example = DatasetExample.withContentId(Examples.json(
        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": \"[{\\\"name\\\": \\\"f\\\"}]\"}"), "gold");
    assertEquals("f", example.tools().get(0).get("name").asString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetExample.withContentId(Examples.json("{\"conversations\": []}"), "gold"));
    assertTrue(e.getMessage().contains("ShareGPT"), e.getMessage());
  }

  @Test
  void aFileMixesGoodAndUnreadableLinesWithoutLosingEither(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = Examples.writeLines(dir.resolve("mixed.jsonl"),
        List.of(Examples.goldLine("b4-1"), "", "{not json", "[1, 2]", Examples.goldLine("b4-2")));
    ExampleFile.Contents contents = ExampleFile.read(file, "gold");
    assertEquals(2, contents.examples().size());
    assertEquals(List.of("line-3", "line-4"), contents.unreadable().stream().map(ValidationProblem::exampleId).toList());
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void examplesOfferingTheSameToolsShareOneCopy() {
    SharedTools shared = new SharedTools();
    DatasetExample a = shared.share(DatasetExample.withContentId(Examples.json(Examples.goldLine("b4-1")), "gold"));
    DatasetExample b = shared.share(DatasetExample.withContentId(Examples.json(Examples.goldLine("b4-2")), "gold"));
    assertTrue(a.tools() == b.tools(), "one list for both");
    assertEquals(DatasetExample.withContentId(Examples.json(Examples.goldLine("b4-2")), "gold"), b);
  }
}
