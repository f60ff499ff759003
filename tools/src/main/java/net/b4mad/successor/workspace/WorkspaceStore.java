package net.b4mad.successor.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The workspace's SQLite database. WAL mode and a busy timeout let the server and the worker process use it at
 * once; write transactions start IMMEDIATE so two writers queue instead of failing on lock upgrade.
 */
public final class WorkspaceStore {

  /** Tables whose rows {@link #count(String)} may count; table names cannot be bound as parameters. */
  private static final Set<String> COUNTABLE = Set.of("traces", "dataset_versions", "runs", "evals", "models");

  private static final int BUSY_TIMEOUT_MS = 15_000;

  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Path file;
  private final SQLiteConfig config;

  private WorkspaceStore(Path file) {
    this.file = file;
    this.config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
  }

  /** Opens (creating if needed) the database and applies the migrations it lacks. */
  public static WorkspaceStore open(Path file) {
    return open(file, StoreSchema.MIGRATIONS);
  }

  static WorkspaceStore open(Path file, List<Migration> migrations) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the directory for " + file + ": " + e.getMessage(), e);
    }
    WorkspaceStore store = new WorkspaceStore(file);
    // Processes opening a brand-new database at the same moment can see SQLITE_BUSY while one of them switches
    // it to WAL, before the busy timeout applies; a short retry covers that window.
    for (int attempt = 1; ; attempt++) {
      try {
        store.migrate(migrations);
        return store;
      } catch (StoreException e) {
        boolean busy = e.getCause() instanceof SQLiteException sqlite
            && (sqlite.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code;
        if (!busy || attempt == 5) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  public Path file() {
    return file;
  }

  /** Runs read-only work on a fresh connection. */
  public <T> T read(SqlWork<T> work) {
    try (Connection connection = connect()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException("reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Runs work in one write transaction: all of it commits, or none. */
  public <T> T write(SqlWork<T> work) {
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("writing " + file + " failed: " + e.getMessage(), e);
    }
  }

  public int schemaVersion() {
    return read(WorkspaceStore::appliedVersion);
  }

  public long count(String table) {
    if (!COUNTABLE.contains(table)) {
      throw new IllegalArgumentException("not a countable table: " + table);
    }
    return read(
        connection -> {
          try (Statement statement = connection.createStatement();
              ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            return rows.next() ? rows.getLong(1) : 0L;
          }
        });
  }

  private Connection connect() throws SQLException {
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  private void migrate(List<Migration> migrations) {
    int known = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    write(
        connection -> {
          try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
          }
          // Inside an IMMEDIATE transaction: a second process starting at the same moment waits here, then
          // sees the versions the first one applied.
          int applied = appliedVersion(connection);
          if (applied > known) {
            throw new StoreException(
                "the workspace database " + file + " has schema version " + applied
                    + " but this Successor knows only up to " + known
                    + ": it was written by a newer Successor. Upgrade, or use another --workspace.");
          }
          for (Migration migration : migrations) {
            if (migration.version() <= applied) {
              continue;
            }
            try (Statement statement = connection.createStatement()) {
              for (String sql : migration.statements()) {
                statement.executeUpdate(sql);
              }
            }
            try (PreparedStatement insert =
                connection.prepareStatement(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)")) {
              insert.setInt(1, migration.version());
              insert.setString(2, migration.description());
              insert.setString(3, Instant.now().toString());
              insert.executeUpdate();
            }
          }
          return null;
        });
  }

  private static int appliedVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }
}
