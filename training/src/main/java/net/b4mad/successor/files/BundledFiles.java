package net.b4mad.successor.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Files shipped inside Successor (prompts, eval suites): a folder on the class path, a directory in development
 * and entries of the shaded jar in use. The jar's entries are read directly: a zip file system over the jar
 * would index its 8,000 entries (the native libraries among them) first, which took nearly three times as long.
 */
public final class BundledFiles {

  private BundledFiles() {}

  /** The files directly in {@code folder} whose names end with {@code suffix}, by name (sorted), as bytes. */
  public static Map<String, byte[]> read(Class<?> anchor, String folder, String suffix) {
    URL url = anchor.getClassLoader().getResource(folder);
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (url == null) {
      return files;
    }
    try {
      if (url.openConnection() instanceof JarURLConnection connection) {
        JarFile jar = connection.getJarFile();
        String prefix = folder + "/";
        List<JarEntry> entries = jar.stream()
            .filter(entry -> entry.getName().startsWith(prefix) && entry.getName().endsWith(suffix))
            .filter(entry -> entry.getName().indexOf('/', prefix.length()) < 0)
            .sorted(Comparator.comparing(JarEntry::getName))
            .toList();
        for (JarEntry entry : entries) {
          try (InputStream in = jar.getInputStream(entry)) {
            files.put(entry.getName().substring(prefix.length()), in.readAllBytes());
          }
        }
        return files;
      }
      try (Stream<Path> listed = Files.list(Path.of(url.toURI()))) {
        for (Path file : listed.filter(f -> f.getFileName().toString().endsWith(suffix))
            .sorted(Comparator.comparing(Path::toString)).toList()) {
          files.put(file.getFileName().toString(), Files.readAllBytes(file));
        }
      }
      return files;
    } catch (URISyntaxException | IOException e) {
      throw new UncheckedIOException("cannot read the bundled " + folder + " at " + url,
          e instanceof IOException io ? io : new IOException(e));
    }
  }
}
