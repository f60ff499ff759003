package net.b4mad.successor.traces;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.traces.importers.JsonRecords;
import net.b4mad.successor.traces.importers.TraceFormats;
import net.b4mad.successor.traces.importers.TraceImporter;
import net.b4mad.successor.traces.importers.TraceSink;
import tools.jackson.databind.JsonNode;

/**
 * Imports a file or a directory of traces into the store: each conversation is scrubbed of secrets, given the
 * caller's agent and tags and the bead ids it mentions, and stored once by content hash, in batches of one
 * transaction each. Bad input is reported and skipped; everything else is still imported, and importing the
 * same input again stores nothing new.
 */
public final class TraceImport {

  /** How many skipped inputs a report lists; a file of garbage should not make a report of megabytes. */
  public static final int MAX_LISTED_SKIPS = 100;

  private static final int BATCH = 500;

  /**
   * How to import.
   *
   * @param format an importer's format name, or null to detect it per file
   * @param agent overrides the agent the source names (null keeps it)
   * @param tags added to every trace
   */
  public record Options(String format, String agent, List<String> tags, SecretScrubber scrubber) {

    public Options {
      tags = tags == null ? List.of() : List.copyOf(tags);
      scrubber = scrubber == null ? SecretScrubber.all() : scrubber;
    }

    /** The trace as it is stored: scrubbed, with the agent, the tags and the bead ids it mentions. */
    public Trace apply(Trace trace, Map<String, Integer> scrubbed) {
      Trace clean = scrubber.scrub(trace, scrubbed);
      TraceMetadata meta = trace.metadata();
      if (meta == null) {
        meta = new TraceMetadata(null, null, null, null, null, null, null, null);
      }
      LinkedHashSet<String> allTags = new LinkedHashSet<>(meta.tags());
      allTags.addAll(tags);
      LinkedHashSet<String> beads = new LinkedHashSet<>(meta.beadIds());
      beads.addAll(BeadIds.in(clean));
      TraceMetadata metadata =
          new TraceMetadata(
              agent != null && !agent.isBlank() ? agent : meta.agent(),
              meta.source(),
              meta.sessionId(),
              List.copyOf(beads),
              meta.startedAt(),
              meta.endedAt(),
              meta.outcome(),
              List.copyOf(allTags));
      return new Trace(null, clean.messages(), clean.tools(), metadata);
    }
  }

  private final TraceStore store;

  public TraceImport(TraceStore store) {
    this.store = store;
  }

  /**
   * Imports {@code path}: a file, or every {@code .json}/{@code .jsonl} file below a directory (hidden ones
   * skipped).
   *
   * @throws ToolException when the path does not exist, holds no trace files, or its format cannot be told
   */
  public ImportReport run(Path path, Options options, ToolContext context) throws IOException {
    if (!Files.exists(path)) {
      throw new ToolException("no such file or directory: " + path);
    }
    TraceImporter given = null;
    if (options.format() != null && !options.format().isBlank()) {
      try {
        given = TraceFormats.named(options.format());
      } catch (IllegalArgumentException e) {
        throw new ToolException(e.getMessage() + ". Leave format out to detect it.");
      }
    }
    boolean directory = Files.isDirectory(path);
    List<Path> files = directory ? traceFiles(path) : List.of(path);
    if (files.isEmpty()) {
      throw new ToolException(
          path + " holds no .json, .jsonl or .ndjson files (hidden files and folders are skipped)");
    }
    Batch batch = new Batch(options, context);
    int read = 0;
    int known = 0;
    for (Path file : files) {
      context.checkCancelled();
      context.progress(read, (double) files.size(), "reading " + file.getFileName());
      read++;
      TraceImporter importer = given;
      if (importer == null) {
        Optional<JsonNode> first = JsonRecords.first(file);
        if (first.isEmpty()) {
          // Nothing to detect from; empty session files are common in Claude Code project folders.
          batch.skip(new SkippedInput(file.toString(), 0,
              "the whole file: holds no valid JSON record (empty, or every line malformed)"));
          known++;
          continue;
        }
        importer = TraceFormats.recognising(first.get()).orElse(null);
      }
      if (importer == null) {
        if (!directory) {
          throw new ToolException(unknownFormat(file));
        }
        batch.skip(new SkippedInput(file.toString(), 0, "the whole file: not a trace format Successor knows ("
            + String.join(", ", TraceFormats.names()) + "); pass format to read it as one"));
        continue;
      }
      known++;
      batch.format = importer.format();
      importer.read(file, batch);
    }
    batch.flush();
    if (known == 0) {
      throw new ToolException(unknownFormat(path));
    }
    context.progress(read, (double) files.size(), "done");
    return new ImportReport(
        batch.imported,
        batch.duplicates,
        List.copyOf(batch.skipped),
        batch.skippedCount,
        batch.scrubbed,
        read,
        batch.formats);
  }

  private static String unknownFormat(Path path) {
    return "cannot tell the trace format of " + path + ". Pass format (--format on the command line) as one of:\n"
        + TraceFormats.describeAll();
  }

  private static List<Path> traceFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(file -> !isHidden(dir, file))
          .filter(Files::isRegularFile)
          .filter(TraceImport::isJson)
          .sorted()
          .toList();
    }
  }

  /** Hidden below the imported directory: the file or a folder on the way to it starts with a dot. */
  private static boolean isHidden(Path dir, Path file) {
    for (Path part : dir.relativize(file)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isJson(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson");
  }

  /** Collects prepared traces and stores them a batch at a time. */
  private final class Batch implements TraceSink {

    private final Options options;
    private final ToolContext context;
    private final List<Trace> pending = new ArrayList<>();
    private final List<SkippedInput> skipped = new ArrayList<>();
    private final Map<String, Integer> scrubbed = new TreeMap<>();
    private final Map<String, Integer> formats = new TreeMap<>();
    private String format;
    private int imported;
    private int duplicates;
    private int skippedCount;

    Batch(Options options, ToolContext context) {
      this.options = options;
      this.context = context;
    }

    @Override
    public void accept(Trace trace) {
      pending.add(options.apply(trace, scrubbed));
      formats.merge(format, 1, Integer::sum);
      if (pending.size() >= BATCH) {
        flush();
      }
    }

    @Override
    public void skip(SkippedInput input) {
      skippedCount++;
      if (skipped.size() < MAX_LISTED_SKIPS) {
        skipped.add(input);
      }
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      int added = store.addAll(pending);
      imported += added;
      duplicates += pending.size() - added;
      pending.clear();
      context.checkCancelled();
    }
  }
}
