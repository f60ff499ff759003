package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.TraceFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceFormatsTest {

  @TempDir Path dir;

  private static String detected(Path file) throws Exception {
    return TraceFormats.detect(file).map(TraceImporter::format).orElse("none");
  }

  @Test
  void detectsEveryFixture() throws Exception {
    assertEquals("openai", detected(TraceFixtures.shared("openai-chat-tool-calls.json")));
    assertEquals("sharegpt", detected(TraceFixtures.shared("sharegpt-glaive-toolcall-100.json")));
    assertEquals("claude-code", detected(TraceFixtures.shared("claude-code-session.jsonl")));
    assertEquals("claude-code", detected(TraceFixtures.own("claude-code-sidechains.jsonl")));
    assertEquals("anthropic", detected(TraceFixtures.own("anthropic-messages.json")));
    assertEquals("canonical", detected(TraceFixtures.own("canonical.jsonl")));
    assertEquals("openai", detected(TraceFixtures.own("openai-mixed.jsonl")));
  }

  @Test
  void anthropicNeedsAnAnthropicOnlySign() {
    assertEquals("openai", recognised("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}]}]}"));
    assertEquals("anthropic", recognised("{\"messages\": [{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\", \"id\": \"t\", \"name\": \"n\", \"input\": {}}]}]}"));
    assertEquals("anthropic", recognised("{\"system\": \"s\", \"messages\": []}"));
    assertEquals("anthropic", recognised("{\"messages\": [], \"tools\": [{\"name\": \"n\", \"input_schema\": {}}]}"));
    assertEquals("none", recognised("{\"prompt\": \"hi\", \"completion\": \"there\"}"));
    assertEquals("none", recognised("[1, 2]"));
  }

  private static String recognised(String json) {
    return TraceFormats.recognising(Json.MAPPER.readTree(json)).map(TraceImporter::format).orElse("none");
  }

  @Test
  void detectionSkipsAMalformedFirstLineAndReadsPrettyPrintedFiles() throws Exception {
    Path lines = dir.resolve("a.json");
    Files.writeString(lines, "{\"messages\": [\n{\"conversations\": [{\"from\": \"human\", \"value\": \"hi\"}]}\n");
    assertEquals("sharegpt", detected(lines));
    Path pretty = dir.resolve("b.json");
    Files.writeString(pretty, "{\n  \"messages\": [\n    {\"role\": \"user\", \"content\": \"hi\"}\n  ]\n}\n");
    assertEquals("openai", detected(pretty));
    Path empty = dir.resolve("c.jsonl");
    Files.writeString(empty, "\n\n");
    assertEquals(Optional.empty(), TraceFormats.detect(empty));
  }

  @Test
  void unknownFormatNamesListTheFormats() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TraceFormats.named("csv"));
    assertTrue(e.getMessage().contains("[canonical, claude-code, sharegpt, anthropic, openai]"), e.getMessage());
  }
}
