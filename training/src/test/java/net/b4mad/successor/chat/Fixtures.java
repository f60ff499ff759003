package net.b4mad.successor.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.b4mad.successor.fixtures.SharedFixtures;

/** The chat-template cases: the shared fixtures and this package's own. */
final class Fixtures {

  private Fixtures() {}

  /** The conversations ({@code *.json}, each with a {@code .expected.txt}) of the shared chat-template fixtures. */
  static List<Path> sharedChatTemplateCases() {
    return conversationsIn(SharedFixtures.resolve("chat-template"));
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
