package net.b4mad.successor.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code successor bench startup}: measured figures, printed, never asserted in tests. */
@Command(
    name = "bench",
    description = {
      "Print performance figures.",
      "startup: wall time from starting 'java -jar successor.jar serve' to its reply to MCP initialize."
    })
public final class BenchCommand implements Callable<Integer> {

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"successor-bench\",\"version\":\"1\"}}}";

  @Parameters(index = "0", paramLabel = "WHAT", description = "What to measure: startup.")
  String what;

  @Option(names = "--runs", defaultValue = "5", description = "Repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--java-option",
      paramLabel = "OPTION",
      description = "A JVM option for the measured server (repeatable), e.g. --java-option=-XX:TieredStopAtLevel=1.")
  List<String> javaOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (!"startup".equals(what)) {
      throw new IllegalArgumentException("unknown benchmark '" + what + "': the benchmarks are [startup]");
    }
    Path jar = ownJar();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Double> millis = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      double ms = timeToInitialize(java, javaOptions, jar);
      millis.add(ms);
      System.out.printf(Locale.ROOT, "run %d: initialize answered after %.0f ms%n", run, ms);
    }
    List<Double> sorted = millis.stream().sorted().toList();
    double median =
        sorted.size() % 2 == 1
            ? sorted.get(sorted.size() / 2)
            : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf(Locale.ROOT,
        "startup to initialize reply%s: median %.0f ms over %d runs (min %.0f, max %.0f)%n",
        javaOptions.isEmpty() ? "" : " with " + String.join(" ", javaOptions),
        median, runs, sorted.get(0), sorted.get(sorted.size() - 1));
    System.out.printf(Locale.ROOT, "jar: %s, %.1f MiB%n", jar, Files.size(jar) / 1048576.0);
    return 0;
  }

  private static double timeToInitialize(String java, List<String> javaOptions, Path jar)
      throws IOException, InterruptedException {
    Path workspace = Files.createTempDirectory("successor-bench");
    try {
      long start = System.nanoTime();
      List<String> command = new ArrayList<>(List.of(java));
      command.addAll(javaOptions);
      command.addAll(List.of("-jar", jar.toString(), "serve", "--workspace", workspace.toString()));
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try (OutputStream in = process.getOutputStream();
          BufferedReader out =
              new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        in.write((INITIALIZE + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String reply = out.readLine();
        double ms = (System.nanoTime() - start) / 1e6;
        if (reply == null || !reply.contains("\"result\"")) {
          throw new IllegalStateException("the server did not answer initialize: " + reply);
        }
        return ms;
      } finally {
        process.destroy();
        process.waitFor();
      }
    } finally {
      try (Stream<Path> files = Files.walk(workspace)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static Path ownJar() throws URISyntaxException {
    Path location = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!location.toString().endsWith(".jar")) {
      throw new IllegalStateException(
          "run the benchmark from the built jar: java -jar server/target/successor.jar bench startup");
    }
    return location;
  }
}
