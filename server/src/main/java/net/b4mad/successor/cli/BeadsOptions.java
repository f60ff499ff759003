package net.b4mad.successor.cli;

import java.nio.file.Path;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.workspace.Workspace;
import picocli.CommandLine.Option;

/** Where beads live and which implementation keeps them; shared by the commands that track work in beads. */
public final class BeadsOptions {

  @Option(
      names = "--beads",
      paramLabel = "auto|cli|embedded",
      defaultValue = "${env:" + Beads.BACKEND_ENV + ":-auto}",
      description = "Beads through the bd command (cli), Successor's own .beads/issues.jsonl (embedded), or bd when"
          + " it is on PATH, else embedded (auto, the default; also $" + Beads.BACKEND_ENV + ").")
  String backend;

  @Option(
      names = "--beads-dir",
      paramLabel = "DIR",
      description = "The repository whose .beads/ holds the beads, e.g. your project (default: the workspace).")
  Path directory;

  /** The same choice as command-line arguments, for the worker the server starts. */
  java.util.List<String> arguments() {
    java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of("--beads", backend));
    if (directory != null) {
      arguments.addAll(java.util.List.of("--beads-dir", directory.toAbsolutePath().toString()));
    }
    return arguments;
  }

  Beads open(Workspace workspace) {
    return Beads.open(backend, directory == null ? workspace.root() : directory, System.getenv("PATH"));
  }
}
