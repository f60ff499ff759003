package net.b4mad.successor.traces;

import java.time.Instant;
import java.util.List;

/**
 * Where a conversation came from and how it ended.
 *
 * @param source the importer format or {@code "live"} for {@code traces_log}, plus the file where there is one
 * @param outcome {@code success}, {@code failure} or null when unknown
 * @param beadIds bead ids mentioned in the conversation (e.g. {@code b4-12}), for held-out splits by bead
 */
public record TraceMetadata(
    String agent,
    String source,
    String sessionId,
    List<String> beadIds,
    Instant startedAt,
    Instant endedAt,
    String outcome,
    List<String> tags) {

  public TraceMetadata {
    beadIds = beadIds == null ? List.of() : List.copyOf(beadIds);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }
}
