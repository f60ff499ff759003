package net.b4mad.successor.traces.importers;

import java.io.IOException;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * Reads one trace format. An importer converts what it can and reports what it cannot: a bad record never stops
 * the good ones around it.
 */
public interface TraceImporter {

  /** The name users pass as {@code format}, e.g. {@code openai}. */
  String format();

  /** One line for users choosing a format: what the records look like. */
  String describe();

  /** Whether a file whose first record is this one holds this format. */
  boolean recognises(JsonNode firstRecord);

  /** Reads every conversation in the file into the sink. */
  void read(Path file, TraceSink sink) throws IOException;
}
