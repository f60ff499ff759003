package net.b4mad.successor.traces;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.workspace.WorkspaceStore;

/**
 * Traces in the workspace database, one row each: the record as JSON plus the columns searches use. A trace's
 * id comes from the hash of its messages and tools, so adding the same conversation again changes nothing.
 */
public final class TraceStore {

  private final WorkspaceStore store;

  public TraceStore(WorkspaceStore store) {
    this.store = store;
  }

  /** The id a conversation gets: {@code tr-} and the first 16 hex digits of its content hash. */
  public static String idFor(List<TraceMessage> messages, List<?> tools) {
    return idFor(contentHash(messages, tools));
  }

  private static String idFor(String contentHash) {
    return "tr-" + contentHash.substring(0, 16);
  }

  static String contentHash(List<TraceMessage> messages, List<?> tools) {
    return Json.contentHash(java.util.Map.of("messages", messages, "tools", tools));
  }

  /** Stores a trace under its content id; returns false when it was already stored. */
  public boolean add(Trace trace) {
    return store.write(connection -> insert(connection, trace));
  }

  /** Stores many traces in one transaction; returns how many were new. */
  public int addAll(List<Trace> traces) {
    return store.write(
        connection -> {
          int added = 0;
          for (Trace trace : traces) {
            if (insert(connection, trace)) {
              added++;
            }
          }
          return added;
        });
  }

  /** Inserts the trace under its content id, whatever id it came with. */
  private static boolean insert(Connection connection, Trace given) throws SQLException {
    String hash = contentHash(given.messages(), given.tools());
    Trace trace = new Trace(idFor(hash), given.messages(), given.tools(), given.metadata());
    TraceMetadata meta = trace.metadata();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT OR IGNORE INTO traces (id, content_hash, agent, source, session_id, created_at, record,"
                + " started_at, outcome, tags, bead_ids, tool_names, message_count)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, trace.id());
      insert.setString(2, hash);
      insert.setString(3, meta == null ? null : meta.agent());
      insert.setString(4, meta == null ? null : meta.source());
      insert.setString(5, meta == null ? null : meta.sessionId());
      insert.setString(6, Instant.now().toString());
      insert.setString(7, Json.write(trace));
      insert.setString(8, meta == null || meta.startedAt() == null ? null : meta.startedAt().toString());
      insert.setString(9, meta == null ? null : meta.outcome());
      // Delimited so that LIKE '%|tag|%' matches whole entries only.
      insert.setString(10, meta == null ? "|" : "|" + String.join("|", meta.tags()) + "|");
      insert.setString(11, meta == null ? "|" : "|" + String.join("|", meta.beadIds()) + "|");
      insert.setString(12, "|" + String.join("|", toolNames(trace)) + "|");
      insert.setInt(13, trace.messages().size());
      return insert.executeUpdate() == 1;
    }
  }

  private static List<String> toolNames(Trace trace) {
    return trace.messages().stream()
        .flatMap(m -> m.toolCalls().stream())
        .map(TraceToolCall::name)
        .distinct()
        .toList();
  }

  public Optional<Trace> get(String id) {
    List<Trace> found = select(new TraceFilter(List.of(id), null, null, null, null, null, null, null, null, null, 1));
    return found.stream().findFirst();
  }

  /** The traces that match, newest first (by start time, then by when they were stored). */
  public List<Trace> select(TraceFilter filter) {
    StringBuilder sql = new StringBuilder("SELECT record FROM traces WHERE 1 = 1");
    List<String> parameters = new ArrayList<>();
    if (!filter.ids().isEmpty()) {
      sql.append(" AND id IN (").append("?, ".repeat(filter.ids().size() - 1)).append("?)");
      parameters.addAll(filter.ids());
    }
    condition(sql, parameters, " AND agent = ?", filter.agent());
    condition(sql, parameters, " AND outcome = ?", filter.outcome());
    condition(sql, parameters, " AND session_id = ?", filter.sessionId());
    condition(sql, parameters, " AND started_at >= ?", filter.since() == null ? null : filter.since().toString());
    condition(sql, parameters, " AND started_at < ?", filter.until() == null ? null : filter.until().toString());
    condition(sql, parameters, " AND tags LIKE ? ESCAPE '\\'", filter.tag() == null ? null : "%|" + escapeLike(filter.tag()) + "|%");
    condition(sql, parameters, " AND bead_ids LIKE ? ESCAPE '\\'", filter.beadId() == null ? null : "%|" + escapeLike(filter.beadId()) + "|%");
    condition(sql, parameters, " AND tool_names LIKE ? ESCAPE '\\'", filter.toolName() == null ? null : "%|" + escapeLike(filter.toolName()) + "|%");
    condition(sql, parameters, " AND lower(record) LIKE ? ESCAPE '\\'",
        filter.text() == null ? null : "%" + escapeLike(filter.text().toLowerCase(Locale.ROOT)) + "%");
    sql.append(" ORDER BY started_at DESC, created_at DESC, id");
    if (filter.limit() > 0) {
      sql.append(" LIMIT ").append(filter.limit());
    }
    return store.read(
        connection -> {
          List<Trace> traces = new ArrayList<>();
          try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
              query.setString(i + 1, parameters.get(i));
            }
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                traces.add(Json.MAPPER.readValue(rows.getString(1), Trace.class));
              }
            }
          }
          return traces;
        });
  }

  private static void condition(StringBuilder sql, List<String> parameters, String clause, String value) {
    if (value != null && !value.isEmpty()) {
      sql.append(clause);
      parameters.add(value);
    }
  }

  private static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
