package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.datasets.DatasetsArea;
import net.b4mad.successor.pipeline.Pipelines;
import net.b4mad.successor.pipeline.Watcher;
import net.b4mad.successor.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code successor watch}: retraining triggered by beads. Every interval it takes the ready beads with the label
 * (each once, ever), runs a retraining pipeline with the settings in the bead's description, and closes the bead
 * with the outcome.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = {
      "Watch the beads for ready beads with a label (default: retrain); for each, run a retraining pipeline with the",
      "settings in its description (pipeline_retrain's arguments as JSON) and close it with the outcome."
    })
public final class WatchCommand implements Callable<Integer> {

  @Mixin WorkspaceOption workspace;

  @Mixin BeadsOptions beadsOptions;

  @Option(names = "--allow-dir", paramLabel = "DIR", description = "A directory that settings may point into (repeatable).")
  List<Path> allowDirs = new ArrayList<>();

  @Option(names = "--label", defaultValue = "retrain", description = "The label that asks for retraining (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--interval", defaultValue = "60", description = "Seconds between polls (default: ${DEFAULT-VALUE}).")
  long interval;

  @Option(names = "--once", description = "Poll once and exit.")
  boolean once;

  @Override
  public Integer call() throws InterruptedException {
    if (interval < 1) {
      throw new IllegalArgumentException("--interval must be at least 1 second, got " + interval);
    }
    Workspace opened = Workspace.open(workspace.directory(), allowDirs);
    Beads beads = beadsOptions.open(opened);
    Pipelines pipelines = new Pipelines(opened, ServeCommand.queue(opened, beads, beadsOptions), beads,
        new DatasetsArea(opened));
    Watcher watcher = new Watcher(opened, beads, pipelines, label, line -> System.err.println("successor watch: " + line));
    System.err.println("successor watch: every " + interval + " s, ready beads labelled '" + label + "' in " + beads);
    while (true) {
      watcher.poll();
      if (once) {
        return 0;
      }
      Thread.sleep(interval * 1000);
    }
  }
}
