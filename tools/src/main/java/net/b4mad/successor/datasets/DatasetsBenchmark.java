package net.b4mad.successor.datasets;

import java.io.IOException;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFilter;
import net.b4mad.successor.traces.TraceMessage;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.traces.TraceToolCall;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * {@code successor bench datasets}: throughput of the dataset pipeline on a synthetic corpus of tool-calling
 * conversations in a temporary workspace. Import (traces into the store), build (validate, render, tokenize,
 * deduplicate, split, write) and validate (read the version back and check every example) are timed apart; the
 * heap is watched at every garbage collection.
 */
public final class DatasetsBenchmark {

  private static final String[] TOOLS = {
    """
    {"type": "function", "function": {"name": "read_file", "description": "Read a file of the repository.",
     "parameters": {"type": "object", "properties": {"path": {"type": "string"}, "limit": {"type": "integer"}}, "required": ["path"]}}}""",
    """
    {"type": "function", "function": {"name": "run_command", "description": "Run a shell command in the repository.",
     "parameters": {"type": "object", "properties": {"command": {"type": "string"}, "timeout": {"type": "integer"}}, "required": ["command"]}}}""",
    """
    {"type": "function", "function": {"name": "bd_update", "description": "Update a bead.",
     "parameters": {"type": "object", "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": ["open", "in_progress", "closed"]}, "notes": {"type": "string"}}, "required": ["id", "status"]}}}"""
  };

  private static final String[] WORDS = (
      "the a build test failing passing module server client trace dataset version split eval train model adapter"
          + " bead close open update review fix bug error warning log file path config schema tool call result agent"
          + " session merge branch commit diff patch line function class method record field value parameter"
          + " argument token length memory heap thread lock queue worker job run step loss gradient checkpoint")
      .split(" ");

  private DatasetsBenchmark() {}

  /** Measures the pipeline on {@code examples} synthetic conversations; returns the figures in print order. */
  public static Map<String, String> run(int examples, long seed) throws IOException {
    if (examples < 10) {
      throw new IllegalArgumentException("--examples must be at least 10, got " + examples);
    }
    Path dir = Files.createTempDirectory("successor-bench-datasets");
    Map<String, String> figures = new LinkedHashMap<>();
    HeapWatch heap = new HeapWatch();
    try {
      Workspace workspace = Workspace.open(dir.resolve("ws"), List.of());
      TraceStore traces = new TraceStore(workspace.store());
      List<JsonNode> tools = Stream.of(TOOLS).map(Json.MAPPER::readTree).toList();
      Random random = new Random(seed);

      long start = System.nanoTime();
      int imported = 0;
      for (int from = 0; from < examples; from += 5000) {
        List<Trace> batch = new ArrayList<>();
        for (int i = from; i < Math.min(examples, from + 5000); i++) {
          batch.add(conversation(i, random, tools));
        }
        imported += traces.addAll(batch);
      }
      double importSeconds = seconds(start);
      figures.put("corpus", examples + " synthetic conversations (" + imported + " distinct), 1-4 tool calls each, 3 tools");
      figures.put("import (traces into the store)", rate(imported, importSeconds));

      start = System.nanoTime();
      TokenCounter tokens = TokenCounter.bundled();
      figures.put("tokenizer load", String.format(Locale.ROOT, "%.2f s (%s)", seconds(start), tokens.info().name()));

      DatasetBuilder builder = new DatasetBuilder(workspace);
      BuildRequest request = new BuildRequest("bench", TraceFilter.ALL, List.of(), List.of(),
          BuildRequest.DEFAULT_EVAL_FRACTION, DatasetSplitter.GROUP_SESSION, null, seed, true,
          BuildRequest.DEFAULT_NEAR_THRESHOLD, DatasetValidator.DEFAULT_MAX_TOKENS, "exclude");
      start = System.nanoTime();
      BuildResult built = builder.build(request, tokens, ToolContext.detached("bench"));
      double buildSeconds = seconds(start);
      figures.put("build (select, validate, render, tokenize, dedupe, split, write)", rate(imported, buildSeconds));
      figures.put("build result", built.counts().train() + " train, " + built.counts().eval() + " eval, "
          + built.duplicates().exact() + " exact and " + built.duplicates().near() + " near duplicates removed, "
          + built.counts().invalidExcluded() + " invalid, mean " + built.tokens().mean() + " tokens");

      start = System.nanoTime();
      DatasetStore.VersionRef version = builder.store().resolve(built.ref());
      List<DatasetExample> all = new ArrayList<>(builder.store().examples(version, DatasetStore.TRAIN));
      all.addAll(builder.store().examples(version, DatasetStore.EVAL));
      ValidationReport report = new DatasetValidator(tokens, DatasetValidator.DEFAULT_MAX_TOKENS).validateAll(all, List.of(), 0);
      double validateSeconds = seconds(start);
      figures.put("validate (read the version, check every example)", rate(report.examples(), validateSeconds));

      start = System.nanoTime();
      int[] counts = DatasetBuilder.countTokens(all, tokens);
      double tokenSeconds = seconds(start);
      long total = 0;
      for (int count : counts) {
        total += count;
      }
      figures.put("of which tokenizing alone", rate(all.size(), tokenSeconds)
          + String.format(Locale.ROOT, ", %.0f tokens/s", total / tokenSeconds));
      tokens.close();
    } finally {
      heap.close();
      figures.put("peak heap", String.format(Locale.ROOT,
          "%.0f MiB live (most retained after a collection), %.0f MiB used before one; max heap %.0f MiB, %d collections",
          heap.maxLive / 1048576.0, heap.maxUsed / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0, heap.collections));
      figures.put("threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
      AtomicFiles.deleteRecursively(dir);
    }
    return figures;
  }

  /** One agent conversation: a request, one to four calls with results, an answer. */
  private static Trace conversation(int n, Random random, List<JsonNode> tools) {
    List<TraceMessage> messages = new ArrayList<>();
    messages.add(TraceMessage.system("You are a coding agent working in the successor repository."));
    messages.add(TraceMessage.user(sentence(random, 12 + random.nextInt(30)) + " (task " + n + ")"));
    int calls = 1 + random.nextInt(4);
    String bead = "b4-" + Integer.toString(n / 7, 36);
    for (int c = 0; c < calls; c++) {
      String id = "call_" + n + "_" + c;
      String tool;
      String arguments;
      switch (random.nextInt(3)) {
        case 0 -> {
          tool = "read_file";
          arguments = "{\"path\": \"src/" + WORDS[random.nextInt(WORDS.length)] + "/" + n + ".java\"}";
        }
        case 1 -> {
          tool = "run_command";
          arguments = "{\"command\": \"mvn -q test -Dtest=" + WORDS[random.nextInt(WORDS.length)] + "Test\", \"timeout\": 600}";
        }
        default -> {
          tool = "bd_update";
          arguments = "{\"id\": \"" + bead + "\", \"status\": \"in_progress\", \"notes\": \"" + sentence(random, 8) + "\"}";
        }
      }
      messages.add(TraceMessage.assistant(c == 0 ? sentence(random, 10) : "", null,
          List.of(new TraceToolCall(id, tool, Json.MAPPER.readTree(arguments)))));
      messages.add(TraceMessage.tool(id, tool, sentence(random, 20 + random.nextInt(60))));
    }
    messages.add(TraceMessage.assistant(sentence(random, 15 + random.nextInt(25)), null, List.of()));
    return new Trace(null, messages, tools,
        new TraceMetadata("bench-agent", "synthetic", "session-" + n / 5, List.of(bead),
            Instant.ofEpochSecond(1_790_000_000L + n * 60L), null, "success", List.of()));
  }

  private static String sentence(Random random, int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.append('.').toString();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String rate(int examples, double seconds) {
    return String.format(Locale.ROOT, "%.0f examples/s (%d in %.1f s)", examples / seconds, examples, seconds);
  }

  /**
   * Heap occupancy around each garbage collection. What a run needs is its live set, the most the heap holds
   * right after a collection; occupancy before one includes garbage and depends on how large the heap may grow.
   */
  private static final class HeapWatch implements NotificationListener, AutoCloseable {

    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private volatile long maxLive;
    private volatile long maxUsed;
    private volatile int collections;

    HeapWatch() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          heapPools.add(pool.getName());
        }
      }
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(this, null, null);
          emitters.add(emitter);
        }
      }
    }

    @Override
    public synchronized void handleNotification(Notification notification, Object handback) {
      if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
      maxLive = Math.max(maxLive, heapBytes(info.getMemoryUsageAfterGc()));
      maxUsed = Math.max(maxUsed, heapBytes(info.getMemoryUsageBeforeGc()));
      collections++;
    }

    private long heapBytes(Map<String, MemoryUsage> usage) {
      long bytes = 0;
      for (Map.Entry<String, MemoryUsage> pool : usage.entrySet()) {
        if (heapPools.contains(pool.getKey())) {
          bytes += pool.getValue().getUsed();
        }
      }
      return bytes;
    }

    @Override
    public void close() {
      for (NotificationEmitter emitter : emitters) {
        try {
          emitter.removeNotificationListener(this);
        } catch (ListenerNotFoundException e) {
          // already gone
        }
      }
    }
  }
}
