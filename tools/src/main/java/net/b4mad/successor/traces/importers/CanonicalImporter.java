package net.b4mad.successor.traces.importers;

import net.b4mad.successor.json.Json;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceMetadata;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Successor's own trace JSON, as {@code Json.write(trace)} writes it (and as a workspace export holds it): read
 * back as it is, metadata included. The id is not trusted: the store recomputes it from the content.
 */
public final class CanonicalImporter extends ConversationRecordImporter {

  @Override
  public String format() {
    return "canonical";
  }

  @Override
  public String describe() {
    return "Successor's own trace JSON, as exported or shown at successor://traces/{id}: {\"id\", \"messages\","
        + " \"tools\", \"metadata\": {agent, source, session_id, ...}}";
  }

  @Override
  public boolean recognises(JsonNode record) {
    JsonNode metadata = record.path("metadata");
    return record.isObject()
        && record.path("messages").isArray()
        && metadata.isObject()
        && (metadata.has("session_id") || metadata.has("bead_ids") || metadata.has("started_at")
            || metadata.has("source"));
  }

  @Override
  Trace convert(JsonNode record, TraceMetadata position) {
    RecordFields.requireObject(record, "a trace");
    RecordFields.requiredArray(record, "messages");
    Trace trace;
    try {
      trace = Json.MAPPER.treeToValue(record, Trace.class);
    } catch (JacksonException e) {
      // Record constructors throw IllegalArgumentException (an unknown role); Jackson wraps it.
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new IllegalArgumentException(
          cause == e ? e.getOriginalMessage() : cause.getMessage(), e);
    }
    if (trace.messages().isEmpty()) {
      throw new IllegalArgumentException("'messages' is empty");
    }
    TraceMetadata own = trace.metadata();
    TraceMetadata metadata =
        own == null
            ? position
            : new TraceMetadata(
                own.agent(),
                own.source() != null ? own.source() : position.source(),
                own.sessionId() != null ? own.sessionId() : position.sessionId(),
                own.beadIds(),
                own.startedAt(),
                own.endedAt(),
                own.outcome(),
                own.tags());
    return new Trace(null, trace.messages(), trace.tools(), metadata);
  }
}
