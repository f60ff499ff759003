package net.b4mad.successor.models;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.b4mad.successor.eval.PromotionGate;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.WorkspaceStore;
import tools.jackson.core.type.TypeReference;

/**
 * The production pointer: the {@code model_promotions} table, an append-only history whose newest entry is
 * production. A promotion records what it replaced, so a rollback restores that entry, and a second rollback the
 * one before it. Every change is one transaction that first checks production is still what the caller judged
 * against, so two servers promoting at once cannot both win.
 */
public final class ProductionPointer {

  private static final String COLUMNS =
      "id, at, action, name, model, adapter, run_id, candidate_eval, production_eval, gate, reasons, replaces";
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final WorkspaceStore store;

  public ProductionPointer(WorkspaceStore store) {
    this.store = store;
  }

  public Optional<Promotion> current() {
    return store.read(ProductionPointer::newest);
  }

  /** Newest first. */
  public List<Promotion> history() {
    return store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM model_promotions ORDER BY id DESC");
          ResultSet rows = select.executeQuery()) {
        List<Promotion> history = new ArrayList<>();
        while (rows.next()) {
          history.add(promotion(rows));
        }
        return history;
      }
    });
  }

  /**
   * Makes {@code model} production.
   *
   * @param expected the production the decision was made against (null: there was none); if it changed since,
   *     nothing is written and the caller is told to judge again
   */
  public Promotion promote(Promotion expected, ModelRef model, String candidateEval, String productionEval,
      PromotionGate gate, List<String> reasons) {
    return store.write(connection -> {
      Optional<Promotion> now = newest(connection);
      if (!now.map(Promotion::id).equals(Optional.ofNullable(expected).map(Promotion::id))) {
        throw new ToolException("production changed while the promotion was judged (now "
            + now.map(Promotion::name).orElse("none") + "); call model_promote again");
      }
      return insert(connection, Promotion.PROMOTE, model, candidateEval, productionEval, gate, reasons,
          expected == null ? null : expected.id());
    });
  }

  /** Restores the production that the current one replaced; returns the new entry. */
  public Promotion rollback(String reason) {
    return store.write(connection -> {
      Promotion now = newest(connection).orElseThrow(() -> new ToolException(
          "nothing is in production yet, so there is nothing to roll back; model_promote sets production"));
      if (now.replaces() == null) {
        throw new ToolException(now.name() + " is the first production there was; there is no earlier one to roll"
            + " back to. Promote another model with model_promote instead.");
      }
      Promotion earlier = get(connection, now.replaces());
      List<String> reasons = new ArrayList<>();
      reasons.add("rolled back from " + now.name() + " (entry " + now.id() + ") to " + earlier.name() + " (entry "
          + earlier.id() + ")");
      if (reason != null && !reason.isBlank()) {
        reasons.add(reason);
      }
      return insert(connection, Promotion.ROLLBACK, earlier.ref(), earlier.candidateEval(), null, null, reasons,
          earlier.replaces());
    });
  }

  private static Promotion insert(Connection connection, String action, ModelRef model, String candidateEval,
      String productionEval, PromotionGate gate, List<String> reasons, Long replaces) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO model_promotions (at, action, name, model, adapter, run_id, candidate_eval, production_eval,"
            + " gate, reasons, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, Instant.now().toString());
      insert.setString(2, action);
      insert.setString(3, model.name());
      insert.setString(4, model.model());
      insert.setString(5, model.adapter());
      insert.setString(6, model.runId());
      insert.setString(7, candidateEval);
      insert.setString(8, productionEval);
      insert.setString(9, gate == null ? null : Json.write(gate));
      insert.setString(10, Json.write(reasons));
      insert.setObject(11, replaces);
      insert.executeUpdate();
    }
    return newest(connection).orElseThrow();
  }

  private static Optional<Promotion> newest(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM model_promotions ORDER BY id DESC LIMIT 1");
        ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(promotion(rows)) : Optional.empty();
    }
  }

  private static Promotion get(Connection connection, long id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT " + COLUMNS + " FROM model_promotions WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("model_promotions entry " + id + " is missing");
        }
        return promotion(rows);
      }
    }
  }

  private static Promotion promotion(ResultSet rows) throws SQLException {
    String gate = rows.getString(10);
    long replaces = rows.getLong(12);
    Long replaced = rows.wasNull() ? null : replaces;
    return new Promotion(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
        rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
        gate == null ? null : Json.MAPPER.readValue(gate, PromotionGate.class),
        Json.MAPPER.readValue(rows.getString(11), STRINGS), replaced);
  }
}
