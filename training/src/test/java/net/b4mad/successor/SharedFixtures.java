package net.b4mad.successor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data in {@code ../shared/fixtures}. Tests run in a module directory, and the repository's parent holds
 * {@code shared/}, here and in CI.
 */
public final class SharedFixtures {

  private SharedFixtures() {}

  public static Path dir() {
    Path dir = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("the shared fixtures are missing: expected them at " + dir);
    }
    return dir;
  }

  public static Path path(String relative) {
    return dir().resolve(relative);
  }
}
