package net.b4mad.successor.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.b4mad.successor.Version;
import net.b4mad.successor.device.ComputeDevices;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code successor} command. */
@Command(
    name = "successor",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = "An MCP server that lets AI agents fine-tune their own successor model.",
    subcommands = {
      ServeCommand.class,
      InfoCommand.class,
      DemoCommand.class,
      ModelCommand.class,
      TrainCommand.class,
      ChatCommand.class,
      GenerateCommand.class,
      BenchCommand.class,
      TracesCommand.class,
      EvalCommand.class,
      WorkerCommand.class,
      WatchCommand.class
    })
public final class Successor implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    ComputeDevices.forceOffline();
    // An MCP client starts `serve` and waits for the initialize reply. picocli introspects every subcommand
    // class when it builds the full tree, which cost a fifth of a second, so `serve` is dispatched alone; and a
    // stdio server's options are read without loading picocli at all (ServeCommand.stdioOptions).
    if (args.length > 0 && args[0].equals("serve")) {
      String[] options = Arrays.copyOfRange(args, 1, args.length);
      Optional<ServeCommand> stdio = ServeCommand.stdioOptions(options);
      System.exit(stdio.isPresent() ? call(stdio.get()) : commandLine(new ServeCommand()).execute(options));
    }
    System.exit(commandLine(new Successor()).execute(args));
  }

  /** The command line with Successor's error handling: a failure prints its message, not a stack trace. */
  static CommandLine commandLine(Object command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> failed(e, cl.getErr()));
    return commandLine;
  }

  /** Runs a command that picocli did not parse, with the same error handling. */
  private static int call(Callable<Integer> command) {
    try {
      return command.call();
    } catch (Exception e) {
      return failed(e, new PrintWriter(System.err, true));
    }
  }

  private static int failed(Exception e, PrintWriter err) {
    err.println("successor: " + e.getMessage());
    if (System.getenv("SUCCESSOR_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return 2;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"successor " + Version.current()};
    }
  }
}
