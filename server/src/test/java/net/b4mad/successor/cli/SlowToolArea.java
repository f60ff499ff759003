package net.b4mad.successor.cli;

import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import java.util.List;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolHints;

/** A tool that takes as long as asked, for the cancellation and logging tests; registered only by them. */
final class SlowToolArea implements ToolArea {

  record Slept(long sleptMs, boolean finished) {}

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "test_sleep",
            "Sleep (test only)",
            "Sleeps for the given number of seconds in 20 ms steps, checking for cancellation between steps;"
                + " logs at info level when it starts. Registered only by the test suite.",
            """
            {"type": "object", "properties": {"seconds": {"type": "number", "minimum": 0, "maximum": 600}},
             "required": ["seconds"], "additionalProperties": false}
            """,
            """
            {"type": "object", "properties": {"slept_ms": {"type": "integer"}, "finished": {"type": "boolean"}},
             "required": ["slept_ms", "finished"]}
            """,
            ToolHints.READ_ONLY,
            SlowToolArea::sleep));
  }

  private static Slept sleep(ToolCall call) throws InterruptedException {
    long millis = Math.round(((Number) call.arguments().get("seconds")).doubleValue() * 1000);
    call.context().log(LoggingLevel.INFO, "sleeping " + millis + " ms");
    long start = System.nanoTime();
    while ((System.nanoTime() - start) / 1_000_000 < millis) {
      call.context().checkCancelled();
      call.context().progress((System.nanoTime() - start) / 1e6, (double) millis, null);
      Thread.sleep(20);
    }
    return new Slept((System.nanoTime() - start) / 1_000_000, true);
  }
}
