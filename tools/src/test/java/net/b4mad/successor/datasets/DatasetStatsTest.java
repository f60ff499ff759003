package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetStatsTest {

  static DatasetExample example(String messages) {
    return DatasetExample.withContentId(Examples.json("{\"messages\": " + messages + "}"), "t");
  }

  static String call(String name, String arguments) {
    return "{\"type\": \"function\", \"function\": {\"name\": \"" + name + "\", \"arguments\": " + arguments + "}}";
  }

  @Test
  void countsTurnsCallsTokensAndBehaviours() {
    List<DatasetExample> examples = List.of(
        // Two calls: a bead tool and a sub-agent.
        example("[{\"role\": \"system\", \"content\": \"s\"}, {\"role\": \"user\", \"content\": \"u\"},"
            + " {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [" + call("bd_close", "{\"id\": \"b4-1\"}") + ", "
            + call("Task", "{\"prompt\": \"review it\"}") + "]}, {\"role\": \"tool\", \"content\": \"ok\"},"
            + " {\"role\": \"tool\", \"content\": \"ok\"}, {\"role\": \"assistant\", \"content\": \"done\"}]"),
        // The bd CLI through a shell tool, and a hand-off mentioned in arguments.
        example("[{\"role\": \"user\", \"content\": \"u\"}, {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": ["
            + call("Bash", "{\"command\": \"bd close b4-2 -r done --json\"}") + "]}, {\"role\": \"tool\", \"content\": \"ok\"},"
            + " {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [" + call("send_message", "{\"text\": \"handoff to Romanov\"}") + "]}]"),
        // No tools at all.
        example("[{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]"),
        // A bead id argument, nothing else.
        example("[{\"role\": \"user\", \"content\": \"u\"}, {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": ["
            + call("Bash", "{\"command\": \"make\", \"issue_id\": \"b4-3\"}") + "]}]"));
    Map<String, Integer> sizes = new LinkedHashMap<>();
    sizes.put("train", 3);
    sizes.put("eval", 1);
    DatasetStats stats = DatasetStats.of(examples, new int[] {100, 300, 5000, 9000}, "tok", sizes);

    assertEquals(4, stats.examples());
    assertEquals(5 + 4 + 2 + 2, stats.turns());
    assertEquals(2 + 2 + 1 + 1, stats.assistantTurns());
    assertEquals(5, stats.toolCalls());
    assertEquals(List.of("Bash", "Task", "bd_close", "send_message"), List.copyOf(stats.toolCallsPerTool().keySet()));
    assertEquals(2, stats.toolCallsPerTool().get("Bash"));
    assertEquals(1.25, stats.callsPerExampleMean());
    assertEquals(2, stats.callsPerExampleMax());
    assertEquals(2, stats.delegationExamples());
    assertEquals(0.5, stats.delegationShare());
    assertEquals(3, stats.beadOperationExamples());
    assertEquals(0.75, stats.beadOperationShare());
    assertEquals(sizes, stats.splitSizes());

    DatasetStats.TokenStats tokens = stats.tokens();
    assertEquals("tok", tokens.tokenizer());
    assertEquals(14400, tokens.total());
    assertEquals(100, tokens.min());
    assertEquals(3600.0, tokens.mean());
    assertEquals(300, tokens.median());
    assertEquals(9000, tokens.max());
    assertEquals(List.of("0-255", "256-511", "512-1023", "1024-2047", "2048-4095", "4096-8191", "8192+"),
        tokens.histogram().stream().map(DatasetStats.Bucket::range).toList());
    assertEquals(List.of(1, 1, 0, 0, 0, 1, 1), tokens.histogram().stream().map(DatasetStats.Bucket::count).toList());
  }

  @Test
  void anEmptySetHasZeroes() {
    DatasetStats stats = DatasetStats.of(List.of(), new int[0], "tok", Map.of());
    assertEquals(0, stats.examples());
    assertEquals(0, stats.tokens().max());
    assertEquals(0.0, stats.delegationShare());
  }
}
