package net.b4mad.successor.files;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes files so that a reader sees either the old content or the new content, never a part: the bytes go to
 * a temporary file beside the target, are forced to disk, and the temporary file is renamed over the target.
 * A process that dies mid-write leaves at most a stray temporary file, never a truncated target.
 */
public final class AtomicFiles {

  /** Temporary files are named {@code .<target>.<random>.tmp}, so directory listings can skip them. */
  public static final String TEMP_SUFFIX = ".tmp";

  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  @FunctionalInterface
  public interface ChannelBody {
    void writeTo(FileChannel channel) throws IOException;
  }

  @FunctionalInterface
  public interface DirectoryBody {
    /** Writes the directory's files into {@code dir} with this class's methods, so each is on disk. */
    void writeInto(Path dir) throws IOException;
  }

  private AtomicFiles() {}

  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  public static void write(Path target, Body body) throws IOException {
    writeChannel(target, channel -> {
      OutputStream out = Channels.newOutputStream(channel);
      body.writeTo(out);
      out.flush();
    });
  }

  /** For writers that position or size the file themselves (safetensors, checkpoints). */
  public static void writeChannel(Path target, ChannelBody body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        body.writeTo(channel);
        channel.force(true);
      }
      move(temp, target);
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes a directory as a unit: its files go into a hidden sibling directory, which is renamed to
   * {@code target} once complete. A target that exists is moved aside first and deleted after, so a crash
   * leaves the old or the new directory in place (or, between the two renames, the old one under a hidden
   * name), never a half-written one under the target's name.
   */
  public static void writeDirectory(Path target, DirectoryBody body) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    Files.createDirectory(temp);
    try {
      body.writeInto(temp);
      syncDirectory(temp);
      Path old = null;
      if (Files.exists(target)) {
        old = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".old");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(parent);
      if (old != null) {
        deleteRecursively(old);
      }
    } finally {
      if (Files.exists(temp)) {
        deleteRecursively(temp);
      }
    }
  }

  public static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> entries = Files.walk(dir)) {
      for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(entry);
      }
    }
  }

  /** {@link #writeString} for callers that report I/O failures as unchecked, naming the file. */
  public static void writeStringUnchecked(Path target, String text) {
    try {
      writeString(target, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + target + " cannot rename atomically", e);
    }
  }

  /** Makes a rename durable; some platforms cannot open a directory, where this is a no-op. */
  public static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open directories; the rename is still atomic there, only not yet durable.
    }
  }
}
