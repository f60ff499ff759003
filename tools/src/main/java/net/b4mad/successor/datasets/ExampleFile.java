package net.b4mad.successor.datasets;

import java.io.BufferedReader;
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
 * A file of examples in the OpenAI/TRL form: JSON Lines (one example per line; blank lines skipped), or, for a
 * name ending in {@code .json}, one JSON array of examples or a single example. Lines that cannot be read become
 * {@code malformed} problems rather than failures, so one bad line does not hide the rest.
 */
final class ExampleFile {

  /** What the file held: the readable examples, and a problem for each unreadable one. */
  record Contents(List<DatasetExample> examples, List<ValidationProblem> unreadable) {}

  private ExampleFile() {}

  /**
   * @param idPrefix null to use each example's own {@code id} (else {@code line-N}); otherwise ids are this
   *     prefix and the content hash, as for gold ({@code gold}) and mix-in ({@code mix}) examples
   */
  static Contents read(Path file, String idPrefix) {
    List<DatasetExample> examples = new ArrayList<>();
    List<ValidationProblem> unreadable = new ArrayList<>();
    SharedTools shared = new SharedTools();
    try {
      if (file.getFileName().toString().endsWith(".json")) {
        JsonNode root = parse(Files.readString(file, StandardCharsets.UTF_8), file);
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
          root.forEach(items::add);
        } else {
          items.add(root);
        }
        for (int i = 0; i < items.size(); i++) {
          add(items.get(i), "item-" + (i + 1), idPrefix, shared, examples, unreadable);
        }
      } else {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          String line;
          int number = 0;
          while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
              continue;
            }
            JsonNode node;
            try {
              node = Json.MAPPER.readTree(line);
            } catch (JacksonException e) {
              unreadable.add(new ValidationProblem("line-" + number, DatasetValidator.MALFORMED,
                  file.getFileName() + " line " + number + " is not valid JSON: " + e.getOriginalMessage(),
                  "Write one JSON object per line (JSON Lines)."));
              continue;
            }
            add(node, "line-" + number, idPrefix, shared, examples, unreadable);
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Contents(examples, unreadable);
  }

  private static void add(JsonNode node, String position, String idPrefix, SharedTools shared,
      List<DatasetExample> examples, List<ValidationProblem> unreadable) {
    try {
      if (idPrefix != null) {
        examples.add(shared.share(DatasetExample.withContentId(node, idPrefix)));
      } else {
        JsonNode own = node.path("id");
        examples.add(shared.share(DatasetExample.fromJson(node, own.isString() ? own.stringValue() : position)));
      }
    } catch (IllegalArgumentException e) {
      unreadable.add(new ValidationProblem(position, DatasetValidator.MALFORMED, position + ": " + e.getMessage(),
          "Write each example as {\"messages\": [...], \"tools\": [...]} in the OpenAI/TRL form."));
    }
  }

  private static JsonNode parse(String text, Path file) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage()
          + " (a .json file holds one example or an array of them; use .jsonl for one example per line)");
    }
  }
}
