package net.b4mad.successor.cli;

import static net.b4mad.successor.cli.ServerProcess.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evals as jobs through MCP against the built jar: the shipped suites, a run, results, a comparison, the gate. */
class EvalJobsIT {

  @TempDir Path dir;

  private static String evaluate(McpSyncClient client, Path model) {
    Map<?, ?> queued = call(client, "eval_run",
        Map.of("model", model.toString(), "suites", List.of("b4mad"), "limit", 2, "max_new_tokens", 24));
    String id = queued.get("eval_id").toString();
    Map<?, ?> done = call(client, "job_wait", Map.of("job_id", id, "timeout_s", 300));
    assertEquals("succeeded", done.get("state"), done.toString());
    assertEquals(6, ((Number) done.get("total_steps")).intValue(), "job_status counts cases as steps");
    return id;
  }

  @Test
  void anEvalRunsAsAJobAndItsResultsCompareAndGate() throws Exception {
    Path model = dir.resolve("tiny");
    JarRun init = JarRun.of("model", "init", "--out", model.toString(), "--seed", "5", "--tokenizer",
        JarRun.fixtures("qwen3-tokenizer-8k").toString());
    assertEquals(0, init.exitCode(), init.stderr());
    McpSyncClient client = ServerProcess.sdkClient("--workspace", dir.resolve("ws").toString(), "--allow-dir", dir.toString());
    try {
      List<?> suites = (List<?>) call(client, "eval_suites", Map.of()).get("suites");
      Map<?, ?> delegation = suites.stream().map(s -> (Map<?, ?>) s)
          .filter(s -> s.get("name").equals("b4mad/delegation")).findFirst().orElseThrow();
      assertEquals(21, ((Number) delegation.get("cases")).intValue());

      String first = evaluate(client, model);
      Map<?, ?> results = call(client, "eval_results", Map.of("id", first));
      Map<?, ?> overall = (Map<?, ?>) results.get("overall");
      assertEquals(6, ((Number) overall.get("cases")).intValue());
      assertEquals(3, ((Map<?, ?>) results.get("categories")).size());
      List<?> failing = (List<?>) results.get("failing");
      assertEquals(((Number) results.get("failing_count")).intValue(), failing.size());
      if (!failing.isEmpty()) {
        Map<?, ?> failure = (Map<?, ?>) failing.get(0);
        assertTrue(failure.containsKey("expected") && failure.containsKey("error"), failure.toString());
      }

      String second = evaluate(client, model);
      Map<?, ?> comparison = call(client, "eval_compare", Map.of("baseline", first, "candidate", second));
      assertEquals(List.of(), comparison.get("fixed"), "greedy decoding: the same model answers the same");
      assertEquals(List.of(), comparison.get("broken"));
      assertTrue(comparison.get("significance").toString().contains("no case changed outcome"));

      Map<?, ?> gate = call(client, "eval_gate", Map.of("candidate", second, "production", first));
      assertFalse((Boolean) gate.get("pass"));
      assertTrue(gate.get("reasons").toString().contains("below the margin"), gate.toString());

      McpSchema.ReadResourceResult chart = client.readResource(
          new McpSchema.ReadResourceRequest("successor://evals/" + first + "," + second + "/chart.png"));
      byte[] png = Base64.getDecoder().decode(((McpSchema.BlobResourceContents) chart.contents().get(0)).blob());
      assertEquals('P', png[1]);
      McpSchema.ReadResourceResult report = client.readResource(
          new McpSchema.ReadResourceRequest("successor://evals/" + first + "/report"));
      assertEquals(6, Json.MAPPER.readTree(((McpSchema.TextResourceContents) report.contents().get(0)).text())
          .path("cases").size());

      Map<?, ?> bead = call(client, "bead_show", Map.of("id", call(client, "job_status", Map.of("job_id", first)).get("bead_id")));
      assertEquals("closed", bead.get("status"));
      assertTrue(bead.get("close_reason").toString().contains("of 6 cases passed"), bead.toString());
    } finally {
      client.closeGracefully();
    }
  }
}
