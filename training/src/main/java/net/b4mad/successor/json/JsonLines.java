package net.b4mad.successor.json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Training data files: one JSON object per line, blank lines ignored. A line that is not a JSON object, or that
 * its parser refuses, stops the read with the file and line number: hours of training on silently thinned data
 * cost more than fixing one line.
 */
public final class JsonLines {

  /** Turns one record into an item; throws IllegalArgumentException with what is wrong. */
  @FunctionalInterface
  public interface Parser<T> {
    T parse(JsonNode record, String location);
  }

  private JsonLines() {}

  public static <T> List<T> read(Path file, Parser<T> parser) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    List<T> items = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        String location = file + ":" + number;
        JsonNode record;
        try {
          record = Json.MAPPER.readTree(line);
        } catch (JacksonException e) {
          throw new IllegalArgumentException(
              location + ": not valid JSON (one JSON object per line): " + e.getOriginalMessage(), e);
        }
        if (!record.isObject()) {
          throw new IllegalArgumentException(location + " must be a JSON object, one example per line");
        }
        try {
          items.add(parser.parse(record, location));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(location + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return items;
  }
}
