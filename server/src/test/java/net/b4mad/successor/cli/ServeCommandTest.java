package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link ServeCommand#stdioOptions} reads what picocli would, or leaves the arguments to picocli. */
class ServeCommandTest {

  @Test
  void theStdioOptionsReadAsPicocliReadsThem() {
    List<String[]> cases =
        List.of(
            new String[] {},
            new String[] {"--workspace", "ws"},
            new String[] {"--workspace=/tmp/a b"},
            new String[] {"--workspace="},
            new String[] {"--allow-dir", "/models", "--workspace", "ws", "--allow-dir=~/data"},
            new String[] {"--allow-dir=-odd", "--allow-dir", "a=b"},
            new String[] {"--beads", "embedded", "--workspace", "ws", "--beads-dir=/repo"},
            new String[] {"--beads-dir", "/repo"});
    for (String[] args : cases) {
      ServeCommand fast = ServeCommand.stdioOptions(args).orElseThrow(() -> new AssertionError(Arrays.toString(args)));
      ServeCommand parsed = new ServeCommand();
      new CommandLine(parsed).parseArgs(args);
      assertEquals(parsed.workspace.workspace, fast.workspace.workspace, Arrays.toString(args));
      assertEquals(parsed.workspace.directory(), fast.workspace.directory(), Arrays.toString(args));
      assertEquals(parsed.allowDirs, fast.allowDirs, Arrays.toString(args));
      assertEquals(parsed.httpPort, fast.httpPort);
      assertEquals(parsed.beadsOptions.backend, fast.beadsOptions.backend, Arrays.toString(args));
      assertEquals(parsed.beadsOptions.directory, fast.beadsOptions.directory, Arrays.toString(args));
    }
  }

  @Test
  void everythingElseIsLeftToPicocli() {
    List<String[]> cases =
        List.of(
            new String[] {"--help"},
            new String[] {"--http", "8765"},
            new String[] {"--workspace", "ws", "--host=0.0.0.0"},
            new String[] {"--token", "t"},
            new String[] {"--allow-origin", "https://x.example"},
            new String[] {"--workspace"},
            new String[] {"--workspace", "a", "--workspace", "b"},
            new String[] {"--beads", "cli", "--beads", "embedded"},
            new String[] {"--worksapce", "ws"},
            new String[] {"--allow-dir", "--workspace", "ws"},
            new String[] {"@serve-args.txt"},
            new String[] {"--", "ws"},
            new String[] {"ws"});
    for (String[] args : cases) {
      assertTrue(ServeCommand.stdioOptions(args).isEmpty(), Arrays.toString(args));
    }
  }

  /**
   * A new option of {@code serve} is parsed by picocli (the fast path refuses what it does not know), but one
   * with a default value would silently miss it on the fast path: decide there, then add it here.
   */
  @Test
  void theFastPathKnowsEveryServeOption() {
    Set<String> names =
        new CommandLine(new ServeCommand())
            .getCommandSpec().options().stream()
                .flatMap(option -> Arrays.stream(option.names()))
                .collect(Collectors.toSet());
    assertEquals(Set.of("--workspace", "--allow-dir", "--beads", "--beads-dir", "--http", "--host", "--token",
        "--allow-origin"), names);
  }
}
