package net.b4mad.successor.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Successor workspace: {@code successor.db} plus plain artefact folders that other tools can read
 * ({@code datasets/<name>/<version>/}, {@code runs/<id>/}, {@code evals/<id>/}, {@code models/}).
 * Created on first use. The database is opened (and migrated) on the first call of {@link #store()}, so a
 * server can answer MCP {@code initialize} before SQLite loads.
 */
public final class Workspace {

  public static final String DEFAULT_DIR = ".successor";
  public static final String HOME_ENV = "SUCCESSOR_HOME";
  public static final String DATABASE_FILE = "successor.db";

  private final Path root;
  private final AllowedRoots allowedRoots;
  private volatile WorkspaceStore store;

  private Workspace(Path root, AllowedRoots allowedRoots) {
    this.root = root;
    this.allowedRoots = allowedRoots;
  }

  /**
   * The workspace directory to use: the one given, else {@code $SUCCESSOR_HOME}, else {@code ./.successor}.
   */
  public static Path locate(Path given, String homeEnv) {
    if (given != null) {
      return given;
    }
    if (homeEnv != null && !homeEnv.isBlank()) {
      return Path.of(homeEnv);
    }
    return Path.of(DEFAULT_DIR);
  }

  /**
   * Opens the workspace at {@code dir}, creating its folders and database when missing.
   *
   * @param extraAllowedDirs directories besides the workspace that tool arguments may point into
   */
  public static Workspace open(Path dir, List<Path> extraAllowedDirs) {
    Path root;
    try {
      Files.createDirectories(dir);
      root = dir.toAbsolutePath().toRealPath();
      for (String folder : List.of("datasets", "runs", "evals", "models", "traces")) {
        Files.createDirectories(root.resolve(folder));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the workspace at " + dir + ": " + e.getMessage(), e);
    }
    List<Path> roots = new ArrayList<>();
    roots.add(root);
    roots.addAll(extraAllowedDirs);
    return new Workspace(root, new AllowedRoots(root, roots));
  }

  public Path root() {
    return root;
  }

  /** The database, opened and migrated on the first call. */
  public WorkspaceStore store() {
    WorkspaceStore opened = store;
    if (opened == null) {
      synchronized (this) {
        opened = store;
        if (opened == null) {
          opened = WorkspaceStore.open(root.resolve(DATABASE_FILE));
          store = opened;
        }
      }
    }
    return opened;
  }

  public AllowedRoots allowedRoots() {
    return allowedRoots;
  }

  public Path datasetsDir() {
    return root.resolve("datasets");
  }

  public Path runsDir() {
    return root.resolve("runs");
  }

  public Path evalsDir() {
    return root.resolve("evals");
  }

  public Path modelsDir() {
    return root.resolve("models");
  }

  public Path tracesDir() {
    return root.resolve("traces");
  }
}
