package net.b4mad.successor.cli;

import java.util.List;

/** {@code successor serve} with the test-only {@link SlowToolArea} added; run from the built jar's classes. */
public final class TestServerMain {

  public static void main(String[] args) {
    System.exit(Successor.commandLine(new ServeCommand(List.of(workspace -> new SlowToolArea()))).execute(args));
  }
}
