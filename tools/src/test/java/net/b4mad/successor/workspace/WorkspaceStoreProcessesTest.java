package net.b4mad.successor.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server and the worker are separate processes writing one database; neither may fail on the lock. */
class WorkspaceStoreProcessesTest {

  private static final int ROWS = 150;

  @TempDir Path dir;

  @Test
  void twoProcessesWriteConcurrentlyWithoutLosingRows() throws Exception {
    Path db = dir.resolve("successor.db");
    WorkspaceStore store = WorkspaceStore.open(db);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process other =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Writer.class.getName(), db.toString(), "child")
            .inheritIO()
            .start();

    insertRuns(store, "parent");

    assertTrue(other.waitFor(60, TimeUnit.SECONDS), "the other process did not finish");
    assertEquals(0, other.exitValue(), "the other process failed to write");
    assertEquals(2L * ROWS, store.count("runs"));
  }

  static void insertRuns(WorkspaceStore store, String prefix) {
    for (int i = 0; i < ROWS; i++) {
      String id = prefix + "-" + i;
      store.write(
          c -> {
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO runs (id, kind, state, run_dir, created_at, updated_at)"
                        + " VALUES (?, 'sft', 'queued', ?, '2026-11-24', '2026-11-24')")) {
              insert.setString(1, id);
              insert.setString(2, "runs/" + id);
              insert.executeUpdate();
            }
            return null;
          });
    }
  }

  /** The second process. */
  public static final class Writer {
    public static void main(String[] args) {
      insertRuns(WorkspaceStore.open(Path.of(args[0])), args[1]);
    }
  }
}
