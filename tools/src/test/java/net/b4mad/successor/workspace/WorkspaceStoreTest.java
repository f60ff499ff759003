package net.b4mad.successor.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceStoreTest {

  @TempDir Path dir;

  private static final Migration FIRST =
      new Migration(1, "first", List.of("CREATE TABLE traces (id TEXT PRIMARY KEY)"));
  private static final Migration SECOND =
      new Migration(2, "second", List.of("ALTER TABLE traces ADD COLUMN agent TEXT"));

  @Test
  void migrationsApplyOnceAcrossReopens() {
    Path db = dir.resolve("successor.db");
    WorkspaceStore.open(db, List.of(FIRST));
    WorkspaceStore.open(db, List.of(FIRST));
    WorkspaceStore store = WorkspaceStore.open(db, List.of(FIRST, SECOND));
    WorkspaceStore.open(db, List.of(FIRST, SECOND));

    assertEquals(2, store.schemaVersion());
    assertEquals(List.of(1, 2), appliedVersions(store));
  }

  @Test
  void theRealSchemaAppliesAndUsesWal() {
    WorkspaceStore store = WorkspaceStore.open(dir.resolve("successor.db"));
    assertEquals(StoreSchema.MIGRATIONS.size(), store.schemaVersion());
    assertEquals(0, store.count("traces"));
    String mode =
        store.read(
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
                r.next();
                return r.getString(1);
              }
            });
    assertEquals("wal", mode);
  }

  @Test
  void concurrentOpenersApplyEachMigrationOnce() throws Exception {
    Path db = dir.resolve("successor.db");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<WorkspaceStore>> openers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        openers.add(() -> WorkspaceStore.open(db, List.of(FIRST, SECOND)));
      }
      for (Future<WorkspaceStore> opened : pool.invokeAll(openers)) {
        opened.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(1, 2), appliedVersions(WorkspaceStore.open(db, List.of(FIRST, SECOND))));
  }

  @Test
  void aFailingMigrationRollsBackCompletely() {
    Path db = dir.resolve("successor.db");
    WorkspaceStore.open(db, List.of(FIRST));
    Migration broken =
        new Migration(2, "broken", List.of("CREATE TABLE half (id TEXT)", "THIS IS NOT SQL"));

    StoreException e = assertThrows(StoreException.class, () -> WorkspaceStore.open(db, List.of(FIRST, broken)));
    assertTrue(e.getMessage().contains("successor.db"), e.getMessage());

    WorkspaceStore store = WorkspaceStore.open(db, List.of(FIRST));
    assertEquals(1, store.schemaVersion());
    long halfTables =
        store.read(
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'half'")) {
                r.next();
                return r.getLong(1);
              }
            });
    assertEquals(0, halfTables);
  }

  @Test
  void aDatabaseFromANewerSuccessorIsRefusedWithAClearMessage() {
    Path db = dir.resolve("successor.db");
    WorkspaceStore.open(db, List.of(FIRST, SECOND));

    StoreException e = assertThrows(StoreException.class, () -> WorkspaceStore.open(db, List.of(FIRST)));
    assertTrue(e.getMessage().contains("newer Successor"), e.getMessage());
  }

  @Test
  void onlyKnownTablesCanBeCounted() {
    WorkspaceStore store = WorkspaceStore.open(dir.resolve("successor.db"));
    assertThrows(IllegalArgumentException.class, () -> store.count("traces; DROP TABLE runs"));
  }

  private static List<Integer> appliedVersions(WorkspaceStore store) {
    return store.read(
        c -> {
          List<Integer> versions = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
            while (r.next()) {
              versions.add(r.getInt(1));
            }
          }
          return versions;
        });
  }
}
