package net.b4mad.successor.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PythonJsonTest {

  /** Vectors written by Python itself (python-json-dumps.py): random doubles, control characters, nesting. */
  @Test
  void writesWhatPythonJsonDumpsWrites() throws IOException {
    List<String> lines;
    try (InputStream in = getClass().getResourceAsStream("python-json-dumps.jsonl")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertEquals(633, lines.size());
    for (String line : lines) {
      JsonNode vector = Json.MAPPER.readTree(line);
      String input = vector.get(0).stringValue();
      String expected = vector.get(1).stringValue();

      assertEquals(expected, PythonJson.dumps(Json.MAPPER.readTree(input)), input);
    }
  }

  @Test
  void floatsAsPythonRepr() {
    assertEquals("1.0", PythonJson.floatRepr(1));
    assertEquals("0.0001", PythonJson.floatRepr(1e-4));
    assertEquals("1e-05", PythonJson.floatRepr(1e-5));
    assertEquals("1000000000000000.0", PythonJson.floatRepr(1e15));
    assertEquals("1e+16", PythonJson.floatRepr(1e16));
    assertEquals("-2.5e-300", PythonJson.floatRepr(-2.5e-300));
    assertEquals("0.1", PythonJson.floatRepr(0.1));
    assertEquals("-0.0", PythonJson.floatRepr(-0.0));
    // Java 17's Double.toString gives 2.82879384806159008E17 here; the shortest is 17 digits fewer.
    assertEquals("2.82879384806159e+17", PythonJson.floatRepr(2.82879384806159e17));
  }

  @Test
  void keepsKeyOrderAndDuplicateKeysAsPythonDoes() {
    assertEquals("{\"b\": 1, \"a\": 3}", PythonJson.dumps(Json.MAPPER.readTree("{\"b\":1,\"a\":2,\"a\":3}")));
    assertEquals("{\"a\": 3, \"b\": 1}", PythonJson.dumps(Json.MAPPER.readTree("{\"a\":2,\"b\":1,\"a\":3}")));
  }
}
