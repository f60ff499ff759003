package net.b4mad.successor.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-lines file read with its line numbers, so that every later complaint can say {@code file:line: ...}.
 * Blank lines are skipped; a line that is not JSON is an error at once.
 */
record JsonLines(Path file, List<Line> lines) {

  record Line(int number, JsonNode json) {}

  static JsonLines read(Path file) {
    List<String> texts;
    try {
      texts = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no such file: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i).isBlank()) {
        continue;
      }
      try {
        lines.add(new Line(i + 1, Json.MAPPER.readTree(texts.get(i))));
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": not valid JSON (one JSON object per line): " + e.getOriginalMessage(), e);
      }
    }
    return new JsonLines(file, lines);
  }

  /** The message for a problem on {@code line}. */
  String at(Line line, String problem) {
    return file + ":" + line.number() + ": " + problem;
  }
}
