package net.b4mad.successor.traces.importers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.traces.SkippedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class JsonRecordsTest {

  @TempDir Path dir;

  private final List<String> records = new ArrayList<>();
  private final List<SkippedInput> skipped = new ArrayList<>();

  private void read(Path file) throws Exception {
    JsonRecords.read(
        file,
        new JsonRecords.Visitor() {
          @Override
          public boolean record(RecordPosition position, JsonNode record) {
            records.add(position.describe() + " " + record);
            return true;
          }

          @Override
          public void malformed(SkippedInput input) {
            skipped.add(input);
          }
        });
  }

  @Test
  void jsonLinesEvenInAFileNamedJson() throws Exception {
    Path file = dir.resolve("a.json");
    Files.writeString(file, "\uFEFF{\"a\":1}\n\n{\"a\":\n{\"a\":3}\n");
    read(file);
    assertEquals(List.of("line 1 {\"a\":1}", "line 4 {\"a\":3}"), records);
    assertEquals(3, skipped.get(0).line());
  }

  @Test
  void anArrayKeepsTheElementsBeforeASyntaxError() throws Exception {
    Path file = dir.resolve("b.json");
    Files.writeString(file, "[{\"a\":1},\n {\"a\":2},\n {\"a\": oops},\n {\"a\":4}]");
    read(file);
    assertEquals(List.of("array index 0 {\"a\":1}", "array index 1 {\"a\":2}"), records);
    assertEquals(1, skipped.size());
    assertEquals(2, skipped.get(0).line());
    assertTrue(skipped.get(0).reason().startsWith("array index 2: not valid JSON"), skipped.get(0).reason());
  }

  @Test
  void aBrokenPrettyPrintedDocumentIsOneReport() throws Exception {
    Path file = dir.resolve("c.json");
    Files.writeString(file, "{\n  \"messages\": [\n    {\"role\": \"user\"\n  ]\n}\n");
    read(file);
    assertEquals(List.of(), records);
    assertEquals(1, skipped.size());
    assertTrue(skipped.get(0).reason().startsWith("the whole file: not valid JSON"), skipped.get(0).reason());
  }

  @Test
  void oneObjectAndUndecodableBytes() throws Exception {
    Path file = dir.resolve("d.json");
    byte[] bytes = "{\n \"text\": \"caf\u00e9 X\"\n}".getBytes(StandardCharsets.UTF_8);
    bytes[bytes.length - 4] = (byte) 0xff;
    Files.write(file, bytes);
    read(file);
    assertEquals(List.of("the whole file {\"text\":\"caf\u00e9 \uFFFD\"}"), records, "a bad byte becomes U+FFFD");
  }
}
