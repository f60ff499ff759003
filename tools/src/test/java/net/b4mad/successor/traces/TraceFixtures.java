package net.b4mad.successor.traces;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trace fixtures: the shared ones ({@code shared/fixtures/traces} beside the checkout; tests run in the module
 * directory) and this module's own in {@code src/test/resources/traces}.
 */
public final class TraceFixtures {

  private TraceFixtures() {}

  public static Path shared(String name) {
    Path dir = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures/traces");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("shared fixtures not found at " + dir);
    }
    return name.isEmpty() ? dir : dir.resolve(name);
  }

  public static Path own(String name) {
    try {
      return Path.of(TraceFixtures.class.getResource("/traces/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
