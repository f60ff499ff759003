package net.b4mad.successor.traces;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.workspace.Workspace;

/**
 * Measures {@code traces_import} on a synthetic corpus: OpenAI-form conversations with tool calls, a secret in
 * every hundredth and a malformed line in every thousandth, as JSONL files of 10,000 lines in one directory.
 * Figures to print, never to assert.
 */
public final class TraceImportBenchmark {

  private static final int LINES_PER_FILE = 10_000;

  private TraceImportBenchmark() {}

  /** Writes the corpus into {@code dir}/corpus, imports it twice into {@code dir}/workspace, returns the figures. */
  public static Map<String, Object> run(Path dir, int conversations) throws IOException {
    Path corpus = dir.resolve("corpus");
    long start = System.nanoTime();
    long bytes = writeCorpus(corpus, conversations);
    double writeSeconds = (System.nanoTime() - start) / 1e9;

    Workspace workspace = Workspace.open(dir.resolve("workspace"), List.of());
    TraceImport traceImport = new TraceImport(new TraceStore(workspace.store()));
    TraceImport.Options options = new TraceImport.Options(null, "bench", List.of("bench"), null);
    System.gc();
    resetHeapPeaks();
    start = System.nanoTime();
    ImportReport first = traceImport.run(corpus, options, ToolContext.detached("bench"));
    double importSeconds = (System.nanoTime() - start) / 1e9;
    long peakHeap = heapPeaks();

    start = System.nanoTime();
    ImportReport second = traceImport.run(corpus, options, ToolContext.detached("bench"));
    double reimportSeconds = (System.nanoTime() - start) / 1e9;

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("conversations written", conversations);
    figures.put("corpus", String.format(Locale.ROOT, "%.1f MiB in %d files, written in %.1f s",
        bytes / 1048576.0, first.files(), writeSeconds));
    figures.put("imported", first.imported());
    figures.put("skipped", first.skippedCount());
    figures.put("scrubbed", first.scrubbed());
    figures.put("import seconds", importSeconds);
    figures.put("import examples/s", first.imported() / importSeconds);
    figures.put("import MiB/s", bytes / 1048576.0 / importSeconds);
    figures.put("peak heap MiB (sum of heap pool peaks)", peakHeap / 1048576.0);
    figures.put("max heap MiB", Runtime.getRuntime().maxMemory() / 1048576.0);
    figures.put("re-import duplicates", second.duplicates());
    figures.put("re-import examples/s", second.duplicates() / reimportSeconds);
    figures.put("database MiB", Files.size(workspace.store().file()) / 1048576.0);
    return figures;
  }

  private static long writeCorpus(Path corpus, int conversations) throws IOException {
    Files.createDirectories(corpus);
    List<Object> tools =
        List.of(
            Map.of("type", "function", "function", Map.of(
                "name", "read_file", "description", "Read a file of the repository",
                "parameters", Map.of("type", "object", "properties", Map.of("path", Map.of("type", "string")),
                    "required", List.of("path")))),
            Map.of("type", "function", "function", Map.of(
                "name", "run_tests", "description", "Run the test suite",
                "parameters", Map.of("type", "object", "properties", Map.of("module", Map.of("type", "string"))))));
    long bytes = 0;
    BufferedWriter out = null;
    try {
      for (int i = 0; i < conversations; i++) {
        if (i % LINES_PER_FILE == 0) {
          if (out != null) {
            out.close();
          }
          out = Files.newBufferedWriter(corpus.resolve(String.format(Locale.ROOT, "part-%04d.jsonl", i / LINES_PER_FILE)),
              StandardCharsets.UTF_8);
        }
        String line = i % 1000 == 999 ? "{\"messages\": [{\"role\": \"user\", \"content\": \"truncat" : conversation(i, tools);
        out.write(line);
        out.write('\n');
        bytes += line.length() + 1;
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
    return bytes;
  }

  private static String conversation(int i, List<Object> tools) {
    String secret = i % 100 == 0 ? " My key is sk-proj-Bench" + String.format(Locale.ROOT, "%030d", i) + "." : "";
    String bead = "bd-" + Integer.toString(1000 + i % 5000, 36);
    String path = "src/module" + (i % 37) + "/File" + i + ".java";
    Map<String, Object> conversation =
        Map.of(
            "messages",
            List.of(
                Map.of("role", "system", "content", "You are a careful coding agent working on bead " + bead + "."),
                Map.of("role", "user", "content",
                    "Task " + i + ": the test for " + path + " fails with a NullPointerException; fix it." + secret),
                Map.of("role", "assistant", "content", "Let me read the file first.", "tool_calls", List.of(
                    Map.of("id", "call_" + i + "_0", "type", "function", "function", Map.of(
                        "name", "read_file", "arguments", Json.write(Map.of("path", path)))))),
                Map.of("role", "tool", "tool_call_id", "call_" + i + "_0", "content",
                    "public class File" + i + " {\n  String name;\n  int length() { return name.length(); }\n}\n"),
                Map.of("role", "assistant", "content", "The name is never set; I will initialise it and run the tests.",
                    "tool_calls", List.of(
                        Map.of("id", "call_" + i + "_1", "type", "function", "function", Map.of(
                            "name", "run_tests", "arguments", Json.write(Map.of("module", "module" + (i % 37))))))),
                Map.of("role", "tool", "tool_call_id", "call_" + i + "_1", "content", "Tests run: " + (20 + i % 50)
                    + ", Failures: 0"),
                Map.of("role", "assistant", "content", "Fixed: File" + i + " initialises name; all tests pass.")),
            "tools", tools);
    return Json.write(conversation);
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** An upper bound of the peak: the pools peak at different moments. */
  private static long heapPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
