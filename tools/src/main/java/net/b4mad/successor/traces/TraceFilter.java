package net.b4mad.successor.traces;

import java.time.Instant;
import java.util.List;

/**
 * Which traces to select; every field is optional (null, or empty for lists) and the given ones must all hold.
 *
 * @param ids exactly these traces
 * @param toolName traces in which an assistant called this tool
 * @param text a case-insensitive substring of the conversation's JSON
 * @param since traces that started at or after this instant
 * @param until traces that started before this instant
 * @param limit at most this many, newest first; 0 for no limit
 */
public record TraceFilter(
    List<String> ids,
    String agent,
    String toolName,
    String text,
    Instant since,
    Instant until,
    String outcome,
    String tag,
    String sessionId,
    String beadId,
    int limit) {

  public static final TraceFilter ALL = new TraceFilter(List.of(), null, null, null, null, null, null, null, null, null, 0);

  public TraceFilter {
    ids = ids == null ? List.of() : List.copyOf(ids);
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
  }
}
