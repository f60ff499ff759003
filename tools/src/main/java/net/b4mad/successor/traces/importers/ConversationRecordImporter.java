package net.b4mad.successor.traces.importers;

import java.io.IOException;
import java.nio.file.Path;
import net.b4mad.successor.traces.SkippedInput;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMetadata;
import tools.jackson.databind.JsonNode;

/**
 * A format with one conversation per JSON record (OpenAI, Anthropic, ShareGPT, canonical): the file may be JSON
 * lines, a JSON array or a single object, and a record that cannot be converted is skipped alone.
 */
abstract class ConversationRecordImporter implements TraceImporter {

  /**
   * Converts one record.
   *
   * @param metadata what the importer knows of the record's origin: source, and the file name and position as
   *     the session id
   * @throws IllegalArgumentException when the record is not a conversation of this format; the message says why
   */
  abstract Trace convert(JsonNode record, TraceMetadata metadata);

  @Override
  public void read(Path file, TraceSink sink) throws IOException {
    JsonRecords.read(
        file,
        new JsonRecords.Visitor() {
          @Override
          public boolean record(RecordPosition position, JsonNode record) {
            TraceMetadata metadata =
                new TraceMetadata(
                    null, format() + ":" + file.getFileName(), position.sessionId(), null, null, null, null, null);
            try {
              sink.accept(convert(record, metadata));
            } catch (IllegalArgumentException e) {
              sink.skip(position.skipped("not a " + format() + " conversation: " + e.getMessage()));
            }
            return true;
          }

          @Override
          public void malformed(SkippedInput skipped) {
            sink.skip(skipped);
          }
        });
  }
}
