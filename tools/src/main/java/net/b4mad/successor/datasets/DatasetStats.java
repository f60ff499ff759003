package net.b4mad.successor.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a set of examples holds: sizes, tool use, token lengths, and how often it shows the behaviours Successor
 * exists to teach (delegating to other agents, working with beads).
 *
 * <p>The rules, kept simple so a reader can predict them: an example <b>delegates</b> when a tool call's name
 * contains {@code delegat}, {@code handoff}, {@code hand_off}, {@code subagent} or {@code sub_agent}, or is
 * {@code task} or {@code agent} (Claude Code's sub-agent tools), or its arguments mention {@code delegat} or
 * {@code handoff}. An example <b>works with beads</b> when a tool's name starts with {@code bd_}, {@code beads_}
 * or {@code bead_}, or a call's arguments run the {@code bd} CLI ({@code bd create|update|close|show|list|ready|
 * dep|comments|reopen}), or an argument is named {@code bead_id}, {@code issue_id} or {@code bead}.
 *
 * @param turns non-system messages
 * @param toolCallsPerTool calls by tool name, most used first
 * @param splitSizes examples per split ({@code train}, {@code eval}); empty for a single file
 */
public record DatasetStats(
    int examples,
    int turns,
    int assistantTurns,
    int toolCalls,
    Map<String, Integer> toolCallsPerTool,
    double callsPerExampleMean,
    int callsPerExampleMax,
    TokenStats tokens,
    int delegationExamples,
    double delegationShare,
    int beadOperationExamples,
    double beadOperationShare,
    Map<String, Integer> splitSizes) {

  /** Bucket lower edges of the token length histogram. */
  static final int[] EDGES = {0, 256, 512, 1024, 2048, 4096, 8192};

  private static final Pattern BD_COMMAND =
      Pattern.compile("\\bbd\\s+(create|update|close|show|list|ready|dep|comments|reopen)\\b");
  private static final List<String> DELEGATION_NAME_PARTS = List.of("delegat", "handoff", "hand_off", "subagent", "sub_agent");
  private static final List<String> DELEGATION_NAMES = List.of("task", "agent");
  private static final List<String> BEAD_ARGUMENT_NAMES = List.of("bead_id", "issue_id", "bead");

  /**
   * @param tokenizer the tokenizer that counted, as the counts are meaningless without it
   * @param histogram examples per length bucket, e.g. {@code 256-511}
   */
  public record TokenStats(
      String tokenizer, long total, int min, double mean, int median, int p95, int max, List<Bucket> histogram) {}

  /** Examples of {@code min} to {@code max} tokens inclusive; {@code max} null for the open last bucket. */
  public record Bucket(String range, int min, Integer max, int count) {}

  /**
   * @param tokens the rendered length of each example, in the same order
   */
  public static DatasetStats of(
      List<DatasetExample> examples, int[] tokens, String tokenizer, Map<String, Integer> splitSizes) {
    if (tokens.length != examples.size()) {
      throw new IllegalArgumentException(tokens.length + " token counts for " + examples.size() + " examples");
    }
    int turns = 0;
    int assistantTurns = 0;
    int toolCalls = 0;
    int maxCalls = 0;
    int delegation = 0;
    int beads = 0;
    Map<String, Integer> perTool = new TreeMap<>();
    for (DatasetExample example : examples) {
      for (var message : example.messages()) {
        String role = message.path("role").asString("");
        if (!role.equals("system")) {
          turns++;
        }
        if (role.equals("assistant")) {
          assistantTurns++;
        }
      }
      List<DatasetExample.Call> calls = example.toolCalls();
      toolCalls += calls.size();
      maxCalls = Math.max(maxCalls, calls.size());
      boolean delegates = false;
      boolean beadWork = false;
      for (DatasetExample.Call call : calls) {
        String name = call.name() == null ? "" : call.name();
        perTool.merge(name, 1, Integer::sum);
        String lower = name.toLowerCase(Locale.ROOT);
        String arguments = call.arguments() == null ? "" : call.arguments().toString();
        String argumentsLower = arguments.toLowerCase(Locale.ROOT);
        delegates |= DELEGATION_NAME_PARTS.stream().anyMatch(lower::contains)
            || DELEGATION_NAMES.contains(lower)
            || argumentsLower.contains("delegat")
            || argumentsLower.contains("handoff");
        beadWork |= lower.startsWith("bd_") || lower.startsWith("beads_") || lower.startsWith("bead_")
            || BD_COMMAND.matcher(arguments).find()
            || (call.arguments() != null && call.arguments().isObject()
                && BEAD_ARGUMENT_NAMES.stream().anyMatch(call.arguments()::has));
      }
      delegation += delegates ? 1 : 0;
      beads += beadWork ? 1 : 0;
    }
    Map<String, Integer> byUse = new LinkedHashMap<>();
    perTool.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(entry -> byUse.put(entry.getKey(), entry.getValue()));
    int n = examples.size();
    return new DatasetStats(
        n, turns, assistantTurns, toolCalls, byUse, n == 0 ? 0 : round((double) toolCalls / n), maxCalls,
        tokenStats(tokens, tokenizer), delegation, n == 0 ? 0 : round((double) delegation / n), beads,
        n == 0 ? 0 : round((double) beads / n), new LinkedHashMap<>(splitSizes));
  }

  static TokenStats tokenStats(int[] tokens, String tokenizer) {
    int[] sorted = tokens.clone();
    Arrays.sort(sorted);
    long total = 0;
    for (int count : sorted) {
      total += count;
    }
    List<Bucket> histogram = new ArrayList<>();
    for (int b = 0; b < EDGES.length; b++) {
      int min = EDGES[b];
      Integer max = b + 1 < EDGES.length ? EDGES[b + 1] - 1 : null;
      int count = 0;
      for (int value : sorted) {
        if (value >= min && (max == null || value <= max)) {
          count++;
        }
      }
      histogram.add(new Bucket(max == null ? min + "+" : min + "-" + max, min, max, count));
    }
    int n = sorted.length;
    return new TokenStats(
        tokenizer,
        total,
        n == 0 ? 0 : sorted[0],
        n == 0 ? 0 : round((double) total / n),
        n == 0 ? 0 : sorted[(n - 1) / 2],
        n == 0 ? 0 : sorted[(int) Math.ceil(0.95 * n) - 1],
        n == 0 ? 0 : sorted[n - 1],
        histogram);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
