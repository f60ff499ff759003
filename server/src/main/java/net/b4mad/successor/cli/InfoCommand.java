package net.b4mad.successor.cli;

import java.util.List;
import java.util.concurrent.Callable;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.workspace.Workspace;
import net.b4mad.successor.workspace.WorkspaceArea;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints what the {@code workspace_info} tool returns, for humans and scripts. */
@Command(name = "info", description = "Print the workspace report (the workspace_info tool's result) as JSON.")
public final class InfoCommand implements Callable<Integer> {

  @Mixin WorkspaceOption workspace;

  @Option(names = "--no-device", description = "Skip loading the PyTorch engine to report the device.")
  boolean noDevice;

  @Override
  public Integer call() {
    Workspace opened = Workspace.open(workspace.directory(), List.of());
    System.out.println(Json.writePretty(new WorkspaceArea(opened).describe(!noDevice)));
    return 0;
  }
}
