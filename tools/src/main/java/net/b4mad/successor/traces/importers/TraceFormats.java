package net.b4mad.successor.traces.importers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMetadata;
import tools.jackson.databind.JsonNode;

/**
 * The formats Successor imports, and which one a file holds. Detection asks each importer in turn about the
 * file's first record, most specific first: canonical traces (an OpenAI-like {@code messages} array plus our
 * {@code metadata}), Claude Code lines (no {@code messages}, a line {@code type}), ShareGPT
 * ({@code conversations}), Anthropic (a {@code messages} array with Anthropic-only blocks, a top-level
 * {@code system} or {@code input_schema} tools), and last OpenAI (any {@code messages} array): a plain
 * conversation of strings reads the same either way.
 */
public final class TraceFormats {

  private static final CanonicalImporter CANONICAL = new CanonicalImporter();
  private static final OpenAiChatImporter OPENAI = new OpenAiChatImporter();

  public static final List<TraceImporter> ALL =
      List.of(CANONICAL, new ClaudeCodeImporter(), new ShareGptImporter(), new AnthropicMessagesImporter(), OPENAI);

  private TraceFormats() {}

  public static List<String> names() {
    return ALL.stream().map(TraceImporter::format).toList();
  }

  /** The importer for a format name, or an exception listing the names. */
  public static TraceImporter named(String format) {
    for (TraceImporter importer : ALL) {
      if (importer.format().equals(format)) {
        return importer;
      }
    }
    throw new IllegalArgumentException("unknown format '" + format + "': the formats are " + names());
  }

  public static Optional<TraceImporter> recognising(JsonNode firstRecord) {
    return ALL.stream().filter(importer -> importer.recognises(firstRecord)).findFirst();
  }

  /** The importer for a file's format, from its first record; empty when no importer knows it. */
  public static Optional<TraceImporter> detect(Path file) throws IOException {
    Optional<JsonNode> first = JsonRecords.first(file);
    return first.isEmpty() ? Optional.empty() : recognising(first.get());
  }

  /**
   * One conversation given inline, as {@code traces_log} takes it: canonical when it carries Successor's
   * metadata, else the OpenAI form (whose reader also takes canonical messages).
   *
   * @param metadata the record's origin; a canonical record's own metadata fills in what this leaves null
   * @throws IllegalArgumentException when it is neither
   */
  public static Trace conversation(JsonNode record, TraceMetadata metadata) {
    ConversationRecordImporter importer =
        CANONICAL.recognises(record) ? CANONICAL : OPENAI;
    return importer.convert(record, metadata);
  }

  /** The formats, one per line, for messages that ask the user to name one. */
  public static String describeAll() {
    return ALL.stream().map(i -> "  " + i.format() + ": " + i.describe()).collect(Collectors.joining("\n"));
  }
}
