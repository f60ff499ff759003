package net.b4mad.successor.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The directories that paths in tool arguments may point into: the workspace, plus any the user allowed with
 * {@code serve --allow-dir}. Paths are compared after symlinks are resolved, so neither {@code ..} nor a
 * symlink inside an allowed root can lead out of it.
 */
public final class AllowedRoots {

  private final Path base;
  private final List<Path> roots;

  /**
   * @param base where relative paths are resolved (the workspace); must exist
   * @param roots allowed directories; each must exist
   */
  public AllowedRoots(Path base, List<Path> roots) {
    this.base = realPath(base);
    List<Path> real = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException("allowed directory " + root + " does not exist or is not a directory");
      }
      real.add(realPath(root));
    }
    this.roots = List.copyOf(real);
  }

  public List<Path> roots() {
    return roots;
  }

  /**
   * Resolves a user-given path (absolute, relative to the workspace, or starting with {@code ~/}) and checks it
   * lies inside an allowed root. The path need not exist yet.
   *
   * @throws PathOutsideRootsException if it does not, with the roots and the fix in the message
   */
  public Path resolve(String userPath) {
    if (userPath == null || userPath.isBlank()) {
      throw new IllegalArgumentException("path is empty: give a file or directory inside " + describeRoots());
    }
    Path path;
    try {
      path = expandHome(userPath);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + userPath + "' is not a valid path: " + e.getReason());
    }
    Path absolute = (path.isAbsolute() ? path : base.resolve(path)).normalize();
    Path real = realPathOfLongestExistingPrefix(absolute);
    for (Path root : roots) {
      if (real.startsWith(root)) {
        return real;
      }
    }
    throw new PathOutsideRootsException(
        "path '" + userPath + "' resolves to " + real + ", which is outside the allowed directories "
            + describeRoots() + ". Use a path inside one of them, or restart the server with"
            + " --allow-dir DIR to allow another directory.");
  }

  private String describeRoots() {
    return roots.stream().map(Path::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  private static Path expandHome(String userPath) {
    if (userPath.equals("~") || userPath.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + userPath.substring(1));
    }
    return Path.of(userPath);
  }

  /** Resolves symlinks in the part that exists; the rest cannot be a symlink yet. */
  private static Path realPathOfLongestExistingPrefix(Path absolute) {
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    return realPath(existing).resolve(existing.relativize(absolute)).normalize();
  }

  private static Path realPath(Path path) {
    try {
      return path.toAbsolutePath().toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }
}
