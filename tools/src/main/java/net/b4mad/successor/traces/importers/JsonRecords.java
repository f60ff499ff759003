package net.b4mad.successor.traces.importers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.SkippedInput;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * The JSON records of one file, whichever way it holds them: JSON lines (one record per line), a JSON array
 * (one record per element) or a single JSON object. A record that does not parse is reported with its line or
 * index and the others are still read: a JSON line can be skipped alone; in an array, a syntax error ends the
 * array, and the elements before it are kept.
 */
public final class JsonRecords {

  /** Receives the records of a file in order. */
  public interface Visitor {

    /** @return false to stop reading */
    boolean record(RecordPosition position, JsonNode record);

    void malformed(SkippedInput skipped);
  }

  private static final int MAX_REASON = 200;

  /** Reads one value where the parser stands; what follows it is the caller's business. */
  private static final ObjectReader VALUE =
      Json.MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonRecords() {}

  /** The first record that parses, for format detection; empty when the file holds none. */
  public static Optional<JsonNode> first(Path file) throws IOException {
    JsonNode[] first = new JsonNode[1];
    read(
        file,
        new Visitor() {
          @Override
          public boolean record(RecordPosition position, JsonNode record) {
            first[0] = record;
            return false;
          }

          @Override
          public void malformed(SkippedInput skipped) {}
        });
    return Optional.ofNullable(first[0]);
  }

  public static void read(Path file, Visitor visitor) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      readLines(file, visitor);
      return;
    }
    int start = firstCharacter(file);
    if (start < 0) {
      return;
    }
    if (start == '[') {
      readArray(file, visitor);
      return;
    }
    // One object, possibly pretty-printed over many lines, or JSON lines in a file named .json.
    JacksonException wholeFileError;
    try (JsonParser parser = Json.MAPPER.createParser(reader(file))) {
      JsonNode record = VALUE.readValue(parser);
      if (parser.nextToken() == null) {
        visitor.record(RecordPosition.wholeFile(file), record);
        return;
      }
      wholeFileError = null;
    } catch (JacksonException e) {
      wholeFileError = e;
    }
    String firstLine = firstNonBlankLine(file).strip();
    boolean lineShaped = parses(firstLine) || (firstLine.startsWith("{") && !firstLine.equals("{"));
    if (!lineShaped) {
      // A pretty-printed document: reading it line by line would report every one of its lines.
      visitor.malformed(
          RecordPosition.wholeFile(file)
              .skipped(
                  wholeFileError != null
                      ? "not valid JSON: " + describe(wholeFileError, true)
                      : "holds several pretty-printed JSON values: write one per line (JSON lines) or put them in"
                          + " a JSON array"));
      return;
    }
    readLines(file, visitor);
  }

  private static void readLines(Path file, Visitor visitor) throws IOException {
    try (BufferedReader lines = reader(file)) {
      String line;
      int number = 0;
      while ((line = lines.readLine()) != null) {
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        JsonNode record;
        try {
          record = Json.MAPPER.readTree(line);
        } catch (JacksonException e) {
          visitor.malformed(RecordPosition.line(file, number).skipped("not valid JSON: " + describe(e, false)));
          continue;
        }
        if (!visitor.record(RecordPosition.line(file, number), record)) {
          return;
        }
      }
    }
  }

  private static void readArray(Path file, Visitor visitor) throws IOException {
    try (JsonParser parser = Json.MAPPER.createParser(reader(file))) {
      int index = 0;
      try {
        parser.nextToken();
        while (true) {
          JsonToken token = parser.nextToken();
          if (token == JsonToken.END_ARRAY) {
            return;
          }
          if (token == null) {
            visitor.malformed(
                RecordPosition.arrayIndex(file, index).skipped("the JSON array ends early: the file is truncated"));
            return;
          }
          if (!visitor.record(RecordPosition.arrayIndex(file, index), VALUE.readValue(parser))) {
            return;
          }
          index++;
        }
      } catch (JacksonException e) {
        visitor.malformed(
            RecordPosition.arrayIndex(file, index)
                .skipped(
                    "not valid JSON (" + describe(e, true) + "); the elements before this one were read, the rest of the"
                        + " array could not be"));
      }
    }
  }

  /** UTF-8 that replaces undecodable bytes instead of failing, so one bad byte cannot hide a whole file. */
  private static BufferedReader reader(Path file) throws IOException {
    Reader reader =
        new InputStreamReader(
            Files.newInputStream(file),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    return new BufferedReader(reader, 1 << 16);
  }

  private static int firstCharacter(Path file) throws IOException {
    try (Reader reader = reader(file)) {
      int c;
      while ((c = reader.read()) >= 0) {
        if (!Character.isWhitespace(c) && c != '\uFEFF') {
          return c;
        }
      }
      return -1;
    }
  }

  private static String firstNonBlankLine(Path file) throws IOException {
    try (BufferedReader lines = reader(file)) {
      String line;
      while ((line = lines.readLine()) != null) {
        line = line.replace("\uFEFF", "");
        if (!line.isBlank()) {
          return line;
        }
      }
      return "";
    }
  }

  private static boolean parses(String text) {
    try {
      Json.MAPPER.readTree(text);
      return true;
    } catch (JacksonException e) {
      return false;
    }
  }

  private static String describe(JacksonException e, boolean withLine) {
    String message = e.getOriginalMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    message = message.replaceAll("\\s+", " ");
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      message +=
          withLine
              ? " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"
              : " (at column " + e.getLocation().getColumnNr() + ")";
    }
    return message.length() > MAX_REASON ? message.substring(0, MAX_REASON) + "..." : message;
  }
}
