package net.b4mad.successor.cli;

import java.nio.file.Path;
import net.b4mad.successor.workspace.Workspace;
import picocli.CommandLine.Option;

/** The {@code --workspace} option every command that touches the workspace shares. */
public final class WorkspaceOption {

  @Option(
      names = "--workspace",
      paramLabel = "DIR",
      description = "Workspace directory (default: $SUCCESSOR_HOME, else ./.successor). Created on first use.")
  Path workspace;

  Path directory() {
    return Workspace.locate(workspace, System.getenv(Workspace.HOME_ENV));
  }
}
