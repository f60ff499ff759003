package net.b4mad.successor.datasets;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * Dataset versions: folders {@code datasets/<name>/<version>/} holding {@code train.jsonl}, {@code eval.jsonl}
 * and {@code manifest.json}, registered in the store's {@code dataset_versions}. A version is immutable: it is
 * written in full to a hidden temporary folder and renamed into place, so a reader sees all of it or none, and
 * a version that exists is never written again.
 */
public final class DatasetStore {

  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final Pattern VERSION = Pattern.compile("[0-9a-f]{12}");
  public static final String TRAIN = "train";
  public static final String EVAL = "eval";
  public static final List<String> SPLITS = List.of(TRAIN, EVAL);

  /** One version of one dataset and its folder. */
  public record VersionRef(String name, String version, Path dir) {

    public String ref() {
      return name + "@" + version;
    }

    public Path file(String split) {
      return dir.resolve(split + ".jsonl");
    }

    public Path manifest() {
      return dir.resolve("manifest.json");
    }
  }

  /** A row of {@code dataset_versions}. */
  public record VersionRow(String name, String version, String createdAt, String manifestPath) {}

  private final Workspace workspace;

  public DatasetStore(Workspace workspace) {
    this.workspace = workspace;
  }

  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "dataset name " + (name == null ? "null" : "'" + name + "'") + " is not allowed: use 1 to 64 characters"
              + " of a-z, 0-9, '.', '_' and '-', starting with a letter or digit, e.g. 'agent-tools'");
    }
    return name;
  }

  /**
   * Resolves {@code name}, {@code name@latest} (both the newest version) or {@code name@version}.
   *
   * @throws IllegalArgumentException naming what exists when nothing matches
   */
  public VersionRef resolve(String ref) {
    if (ref == null || ref.isBlank()) {
      throw new IllegalArgumentException("give a dataset as 'name' or 'name@version'");
    }
    int at = ref.indexOf('@');
    String name = checkName(at < 0 ? ref : ref.substring(0, at));
    String version = at < 0 ? "latest" : ref.substring(at + 1);
    if (version.equals("latest")) {
      return latest(name).orElseThrow(() -> new IllegalArgumentException(
          "there is no dataset named '" + name + "'" + known()
              + ". Build one with dataset_build or dataset_add_examples."));
    }
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(
          "'" + version + "' is not a version: versions are 12 hex digits, or 'latest'");
    }
    Path dir = dir(name, version);
    if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
      List<String> versions = versions(name).stream().map(VersionRow::version).toList();
      throw new IllegalArgumentException(
          "dataset '" + name + "' has no version " + version
              + (versions.isEmpty() ? "; it has no versions at all" : "; its versions are " + versions + " (newest first)"));
    }
    return new VersionRef(name, version, dir);
  }

  private String known() {
    List<String> names = versions(null).stream().map(VersionRow::name).distinct().toList();
    return names.isEmpty() ? " (the workspace has no datasets yet)" : " (the datasets are " + names + ")";
  }

  public Optional<VersionRef> latest(String name) {
    List<VersionRow> versions = versions(name);
    return versions.isEmpty()
        ? Optional.empty()
        : Optional.of(new VersionRef(name, versions.get(0).version(), dir(name, versions.get(0).version())));
  }

  /** Registered versions, of one dataset or all (name null), by name, newest first. */
  public List<VersionRow> versions(String name) {
    return workspace.store().read(
        connection -> {
          String sql = "SELECT name, version, created_at, manifest_path FROM dataset_versions"
              + (name == null ? "" : " WHERE name = ?") + " ORDER BY name, rowid DESC";
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            if (name != null) {
              query.setString(1, name);
            }
            List<VersionRow> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
              while (result.next()) {
                rows.add(new VersionRow(result.getString(1), result.getString(2), result.getString(3), result.getString(4)));
              }
            }
            return rows;
          }
        });
  }

  public JsonNode manifest(VersionRef version) {
    try {
      return Json.MAPPER.readTree(Files.readString(version.manifest(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + version.manifest() + ": " + e.getMessage(), e);
    }
  }

  /** The examples of one split; a line that cannot be read means the version was damaged by hand. */
  public List<DatasetExample> examples(VersionRef version, String split) {
    ExampleFile.Contents contents = ExampleFile.read(version.file(split), null);
    if (!contents.unreadable().isEmpty()) {
      throw new IllegalStateException(
          version.file(split) + " is damaged (" + contents.unreadable().get(0).message()
              + "); versions are immutable: rebuild the dataset rather than editing its files");
    }
    return contents.examples();
  }

  Path dir(String name, String version) {
    return workspace.datasetsDir().resolve(name).resolve(version);
  }

  /** Starts writing a version of the dataset; its name is known only once the content is. */
  public Draft draft(String name) {
    checkName(name);
    Path parent = workspace.datasetsDir().resolve(name);
    try {
      Files.createDirectories(parent);
      return new Draft(name, Files.createDirectory(parent.resolve("." + UUID.randomUUID() + AtomicFiles.TEMP_SUFFIX)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder under " + parent + ": " + e.getMessage(), e);
    }
  }

  /** A version being written in a hidden folder; {@link #close} removes it unless it was committed. */
  public final class Draft implements AutoCloseable {

    private final String name;
    private final Path temp;
    private boolean committed;

    private Draft(String name, Path temp) {
      this.name = name;
      this.temp = temp;
    }

    /** Writes {@code <split>.jsonl} (one example per line) and returns the SHA-256 of its bytes. */
    public String writeSplit(String split, List<DatasetExample> examples) {
      // Serialised one at a time as written: a build's lines together would cost as much heap as its examples.
      return write(split, () -> examples.stream().map(DatasetExample::toJsonLine).iterator());
    }

    /**
     * Writes {@code <split>.jsonl} from ready JSON lines (records of another form, such as preference pairs) and
     * returns the SHA-256 of its bytes.
     */
    public String writeLines(String split, List<String> lines) {
      return write(split, lines);
    }

    private String write(String split, Iterable<String> lines) {
      Path file = temp.resolve(split + ".jsonl");
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OutputStream out = new DigestOutputStream(
                new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16), digest)) {
          for (String line : lines) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
          }
          out.flush();
          channel.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }

    /**
     * Renames the folder to the version and registers it.
     *
     * @return false when that version already existed (same content and recipe): it is left as it was
     */
    public boolean commit(String version, String manifestJson, Instant createdAt) {
      Path target = dir(name, version);
      boolean created = false;
      try {
        if (!Files.isDirectory(target)) {
          AtomicFiles.writeString(temp.resolve("manifest.json"), manifestJson);
          try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
            created = true;
          } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another process wrote the same version a moment ago.
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot move the new version into " + target + ": " + e.getMessage(), e);
      }
      register(version, created ? createdAt : Instant.now());
      return created;
    }

    private void register(String version, Instant createdAt) {
      String manifestPath = workspace.root().relativize(dir(name, version).resolve("manifest.json")).toString();
      workspace.store().write(
          connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                "INSERT OR IGNORE INTO dataset_versions (name, version, created_at, manifest_path) VALUES (?, ?, ?, ?)")) {
              insert.setString(1, name);
              insert.setString(2, version);
              insert.setString(3, createdAt.toString());
              insert.setString(4, manifestPath);
              return insert.executeUpdate();
            }
          });
    }

    @Override
    public void close() {
      if (committed || !Files.exists(temp)) {
        return;
      }
      try {
        AtomicFiles.deleteRecursively(temp);
      } catch (IOException e) {
        // A hidden leftover folder does no harm; the next build uses a new one.
      }
    }
  }
}
