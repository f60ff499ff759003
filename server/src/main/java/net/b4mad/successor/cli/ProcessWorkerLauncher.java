package net.b4mad.successor.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.jobs.WorkerLauncher;
import net.b4mad.successor.jobs.WorkerLock;

/**
 * Starts {@code successor worker} as a separate, detached process when none is alive: in a new session
 * ({@code setsid}) so that a signal to the server's terminal or process group does not reach it, with stdin from
 * /dev/null (the server's stdin is the MCP session) and its output appended to {@code worker.log}.
 */
final class ProcessWorkerLauncher implements WorkerLauncher {

  static final String LOG = "worker.log";

  private final Path workspace;
  private final List<String> beadsArguments;

  /** @param beadsArguments how the worker reaches the beads the server uses ({@code --beads ...}) */
  ProcessWorkerLauncher(Path workspace, List<String> beadsArguments) {
    this.workspace = workspace;
    this.beadsArguments = List.copyOf(beadsArguments);
  }

  @Override
  public synchronized void ensureRunning() {
    if (WorkerLock.held(workspace)) {
      return;
    }
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path code = ownCode();
    if (code.toString().endsWith(".jar")) {
      command.addAll(List.of("-jar", code.toString()));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), Successor.class.getName()));
    }
    command.addAll(List.of("worker", "--workspace", workspace.toString()));
    command.addAll(beadsArguments);
    try {
      new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workspace.resolve(LOG).toFile()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the worker (" + String.join(" ", command) + "): " + e.getMessage(), e);
    }
  }

  private static Path ownCode() {
    try {
      return Path.of(ProcessWorkerLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate successor's own code", e);
    }
  }
}
