package net.b4mad.successor.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.files.BundledFiles;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.AllowedRoots;
import net.b4mad.successor.workspace.Workspace;

/**
 * The suites an eval can run: those under the workspace's {@code evals/suites/} (a folder per collection, e.g.
 * {@code b4mad/}), where the suites Successor ships are copied on first use so agents and people can read and
 * extend them. A suite is named by its path below that folder without the extension ({@code b4mad/delegation}),
 * a collection by its folder ({@code b4mad}: all its suites); any other suite file is named by its path.
 */
public final class EvalSuites {

  static final String BUNDLED = "eval-suites";
  static final List<String> BUNDLED_COLLECTIONS = List.of("b4mad");

  private final Path root;
  private final AllowedRoots allowedRoots;
  private final DatasetStore datasets;

  public EvalSuites(Path root, AllowedRoots allowedRoots, DatasetStore datasets) {
    this.root = root;
    this.allowedRoots = allowedRoots;
    this.datasets = datasets;
  }

  /**
   * The workspace's suites ({@code evals/suites/}), its dataset versions' held-out splits, other suite files taken
   * from its allowed roots.
   */
  public static EvalSuites of(Workspace workspace) {
    return new EvalSuites(workspace.evalsDir().resolve("suites"), workspace.allowedRoots(), new DatasetStore(workspace));
  }

  /** Every suite file, after copying the shipped ones in (a changed shipped suite replaces its copy). */
  public List<Path> files() {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root + ": " + e.getMessage(), e);
    }
    installBundled();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(EvalSuites::isSuite)
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  /** A suite's name: its path below the suites folder, without the extension. */
  public String name(Path file) {
    String relative = file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    return relative.replaceFirst("\\.jsonl?$", "");
  }

  /**
   * The files a reference means: a collection, a suite name, a dataset version ({@code name@version}: its held-out
   * split, as {@link EvalSettings#load} reads a version folder), or a path to a suite file or a version folder.
   */
  public List<Path> resolve(String reference) {
    List<Path> files = files();
    List<Path> matching = files.stream()
        .filter(file -> name(file).equals(reference) || name(file).startsWith(reference + "/"))
        .toList();
    if (!matching.isEmpty()) {
      return matching;
    }
    if (reference.contains("@") && !reference.contains("/")) {
      try {
        return List.of(heldOutOf(datasets.resolve(reference).dir(), reference));
      } catch (IllegalArgumentException e) {
        throw new ToolException("suite '" + reference + "' looks like a dataset version, but " + e.getMessage(), e);
      }
    }
    Path path = allowedRoots.resolve(reference);
    if (Files.isDirectory(path)) {
      return List.of(heldOutOf(path, reference));
    }
    if (!Files.isRegularFile(path) || !isSuite(path)) {
      throw new ToolException("suite '" + reference + "' is neither a suite name (eval_suites lists them), a dataset"
          + " version (name@version), nor a .jsonl suite, BFCL .json questions file or dataset version folder ("
          + path + ")");
    }
    return List.of(path);
  }

  private static Path heldOutOf(Path version, String reference) {
    if (!Files.isRegularFile(version.resolve(DatasetStore.EVAL + ".jsonl"))) {
      throw new ToolException("suite '" + reference + "' is a folder without a held-out split (" + DatasetStore.EVAL
          + ".jsonl); build the dataset with an eval fraction above 0, or name a suite file");
    }
    return version;
  }

  /**
   * The files the references mean ({@link #resolve} each), as the paths an eval's {@code suites} setting holds;
   * the B4mad collection when there are none.
   */
  public List<String> files(List<String> references) {
    List<String> files = new ArrayList<>();
    for (String reference : references.isEmpty() ? List.of("b4mad") : references) {
      resolve(reference).forEach(file -> files.add(file.toString()));
    }
    return files;
  }

  private static boolean isSuite(Path file) {
    String name = file.getFileName().toString();
    boolean answers = file.getParent() != null && file.getParent().getFileName().toString().equals("possible_answer");
    return !answers && (name.endsWith(".jsonl") || name.endsWith(".json"));
  }

  private void installBundled() {
    for (String collection : BUNDLED_COLLECTIONS) {
      BundledFiles.read(EvalSuites.class, BUNDLED + "/" + collection, ".jsonl").forEach((name, bytes) -> {
        Path target = root.resolve(collection).resolve(name);
        try {
          if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
            AtomicFiles.write(target, bytes);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot install the suite " + target + ": " + e.getMessage(), e);
        }
      });
    }
  }
}
