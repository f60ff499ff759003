package net.b4mad.successor.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the test data lives: the shared fixtures beside the checkout, and this package's own template cases. */
final class Fixtures {

  private Fixtures() {}

  /**
   * {@code shared/fixtures} in the folder that holds the repository: Maven runs tests in the module folder, whose
   * parent is the repository, whose parent holds {@code shared/} on developer machines and in CI alike.
   */
  static Path shared() {
    Path dir = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared").resolve("fixtures");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("shared fixtures not found at " + dir + " (expected shared/ beside the checkout)");
    }
    return dir;
  }

  /** The conversations ({@code *.json}, each with a {@code .expected.txt}) of the shared chat-template fixtures. */
  static List<Path> sharedChatTemplateCases() {
    return conversationsIn(shared().resolve("chat-template"));
  }

  /** Further conversations rendered by the reference template (see {@code template-cases/render_reference.py}). */
  static List<Path> ownTemplateCases() {
    try {
      return conversationsIn(Path.of(Fixtures.class.getResource("template-cases").toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path expectedFor(Path conversation) {
    String name = conversation.getFileName().toString();
    return conversation.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".expected.txt");
  }

  private static List<Path> conversationsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
