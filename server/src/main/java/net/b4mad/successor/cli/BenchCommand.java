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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import net.b4mad.successor.datasets.DatasetsBenchmark;
import net.b4mad.successor.eval.EvalBenchmark;
import net.b4mad.successor.qwen3.Qwen3Benchmark;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.traces.TraceImportBenchmark;
import net.b4mad.successor.train.TrainingBenchmark;
import net.b4mad.successor.files.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code successor bench startup|model|import|datasets|train|eval}: measured figures, printed, never asserted in tests. */
@Command(
    name = "bench",
    description = {
      "Print performance figures.",
      "startup: wall time from starting 'java -jar successor.jar serve' to its reply to MCP initialize.",
      "model: load time, memory, prefill and decode tokens/s (with and without the KV cache) of a model, and",
      "       the same matrix products timed alone in libtorch as the ceiling. Without --model it writes a",
      "       random BF16 model of Qwen3-0.6B's shape to a temporary directory first.",
      "       With --nf4: NF4 base weights (QLoRA) against float32: bits per base weight, weight sizes and",
      "       resident memory both ways, prefill tokens/s both ways.",
      "import: traces_import of a synthetic corpus of OpenAI conversations with tool calls (a few secrets and",
      "       malformed lines): examples/s and peak heap, then the re-import of the same files.",
      "datasets: import, build and validate throughput (examples/s) and peak heap on a synthetic corpus of",
      "       tool-calling conversations in a temporary workspace.",
      "eval: the B4mad suite answered by a tiny random model, greedy: cases/min and generated tokens/s.",
      "train: LoRA and QLoRA training steps on one fixed shape (hidden 512, 8 layers, batch 4 x 512 tokens,",
      "       rank 16): tokens/s, ms per step (forward, backward, optimizer), peak memory, with and without",
      "       gradient checkpointing, and the utilisation against the same matrix products run directly."
    })
public final class BenchCommand implements Callable<Integer> {

  private static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
          + "\"capabilities\":{},\"clientInfo\":{\"name\":\"successor-bench\",\"version\":\"1\"}}}";

  @Parameters(index = "0", paramLabel = "WHAT",
      description = "What to measure: startup, model, import, datasets, train or eval.")
  String what;

  @Option(names = "--model", paramLabel = "DIR", description = "model: the model directory to measure.")
  Path model;

  @Option(names = "--prompt-tokens", defaultValue = "128", description = "model: prompt length (default: ${DEFAULT-VALUE}).")
  int promptTokens;

  @Option(names = "--decode-tokens", defaultValue = "16",
      description = "model: tokens to decode; eval: max_new_tokens per turn (default: ${DEFAULT-VALUE}).")
  int decodeTokens;

  @Option(names = "--conversations", defaultValue = "50000", description = "import: corpus size (default: ${DEFAULT-VALUE}).")
  int conversations;

  @Option(names = "--setting", paramLabel = "S",
      description = "train: measure only this setting (lora, lora_checkpointed, qlora, qlora_checkpointed) on --model.")
  String setting;

  @Option(names = "--nf4", description = "model: compare NF4 base weights with float32 instead.")
  boolean nf4;

  @Option(names = "--examples", defaultValue = "50000", description = "datasets: corpus size (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--runs", defaultValue = "5", description = "Repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--java-option",
      paramLabel = "OPTION",
      description = "A JVM option for the measured server (repeatable), e.g. --java-option=-XX:TieredStopAtLevel=1.")
  List<String> javaOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if ("model".equals(what)) {
      return benchModel();
    }
    if ("import".equals(what)) {
      return benchImport();
    }
    if ("train".equals(what)) {
      return benchTrain();
    }
    if ("eval".equals(what)) {
      Path temporary = Files.createTempDirectory("successor-bench-eval");
      try {
        EvalBenchmark.run(temporary, decodeTokens).forEach((name, value) ->
            System.out.println(name + ": " + (value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : value)));
      } finally {
        AtomicFiles.deleteRecursively(temporary);
      }
      return 0;
    }
    if ("datasets".equals(what)) {
      DatasetsBenchmark.run(examples, 0).forEach((name, value) -> System.out.println(name + ": " + value));
      return 0;
    }
    if (!"startup".equals(what)) {
      throw new IllegalArgumentException(
          "unknown benchmark '" + what + "': the benchmarks are [startup, model, import, datasets, train, eval]");
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

  private int benchModel() throws IOException {
    Path dir = model;
    Path temporary = null;
    if (dir == null) {
      temporary = Files.createTempDirectory("successor-bench-model");
      dir = temporary.resolve("qwen3-0.6b-shape");
      long start = System.nanoTime();
      RandomQwen3.write(dir, QWEN3_06B_SHAPE, 1, null, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
      System.out.printf(Locale.ROOT, "wrote a random BF16 model of Qwen3-0.6B's shape in %.1f s%n",
          (System.nanoTime() - start) / 1e9);
    }
    try {
      Qwen3Benchmark.Figures figures =
          nf4 ? Qwen3Benchmark.nf4(dir, promptTokens, runs) : Qwen3Benchmark.run(dir, promptTokens, decodeTokens, runs);
      System.out.printf(Locale.ROOT, "model %s, medians of %d runs, %d CPU threads%n", dir, runs,
          Runtime.getRuntime().availableProcessors());
      figures.values().forEach((name, value) ->
          System.out.println(name + ": " + (value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : value)));
    } finally {
      if (temporary != null) {
        AtomicFiles.deleteRecursively(temporary);
      }
    }
    return 0;
  }

  private int benchImport() throws IOException {
    Path temporary = Files.createTempDirectory("successor-bench-import");
    try {
      Map<String, Object> figures = TraceImportBenchmark.run(temporary, conversations);
      System.out.printf(Locale.ROOT, "traces import, %d CPU threads%n", Runtime.getRuntime().availableProcessors());
      figures.forEach((name, value) ->
          System.out.println(name + ": " + (value instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : value)));
    } finally {
      AtomicFiles.deleteRecursively(temporary);
    }
    return 0;
  }

  /**
   * Each setting runs in a child process of its own ({@code bench train --setting S --model DIR}), so that the
   * peak memory it reports is its own and not what an earlier setting left allocated.
   */
  private int benchTrain() throws Exception {
    if (setting != null) {
      TrainingBenchmark.measureSetting(model, setting, runs).forEach((name, value) ->
          System.out.println(name + ": " + String.format(Locale.ROOT, "%.3f", value)));
      return 0;
    }
    Path temporary = Files.createTempDirectory("successor-bench-train");
    try {
      Path modelDir = TrainingBenchmark.writeModel(temporary);
      TrainingBenchmark.header().forEach((name, value) -> System.out.println(name + ": " + value));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (String each : TrainingBenchmark.SETTINGS) {
        Process child = new ProcessBuilder(java, "-jar", ownJar().toString(), "bench", "train", "--setting", each,
            "--model", modelDir.toString(), "--runs", Integer.toString(runs))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (child.waitFor() != 0) {
          throw new IllegalStateException("the " + each + " measurement failed: " + output);
        }
        output.lines().forEach(line -> System.out.println(each + "." + line));
      }
      TrainingBenchmark.paddingEfficiency().forEach((name, value) ->
          System.out.println(name + ": " + String.format(Locale.ROOT, "%.3f", value)));
    } finally {
      AtomicFiles.deleteRecursively(temporary);
    }
    return 0;
  }

  /** Qwen3-0.6B's architecture (its config.json), with random weights. */
  private static final Qwen3Config QWEN3_06B_SHAPE =
      new Qwen3Config(151936, 1024, 3072, 28, 16, 8, 128, 1e-6, 1_000_000.0, true, 40960, "bfloat16", 151643,
          List.of(151645));

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
      AtomicFiles.deleteRecursively(workspace);
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
