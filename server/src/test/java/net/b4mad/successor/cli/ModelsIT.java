package net.b4mad.successor.cli;

import static net.b4mad.successor.cli.ServerProcess.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-tuning loop's last steps through MCP against the built jar: a tiny model trained for a few steps,
 * evaluated, promoted as the first production, listed with its lineage, refused a rival that does not pass the gate,
 * and exported merged as a plain model that loads.
 */
class ModelsIT {

  @TempDir Path dir;

  private static CallToolResult raw(McpSyncClient client, String tool, Map<String, Object> arguments) {
    return client.callTool(new CallToolRequest(tool, arguments));
  }

  private static String refusal(McpSyncClient client, String tool, Map<String, Object> arguments) {
    CallToolResult result = raw(client, tool, arguments);
    assertEquals(Boolean.TRUE, result.isError(), () -> tool + " should have been refused: " + result.structuredContent());
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private static String finished(McpSyncClient client, Map<?, ?> queued) {
    String id = queued.get("job_id").toString();
    Map<?, ?> done = call(client, "job_wait", Map.of("job_id", id, "timeout_s", 300));
    assertEquals("succeeded", done.get("state"), done.toString());
    return id;
  }

  private static Map<String, Object> eval(Path model, String adapter) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("model", model.toString());
    if (adapter != null) {
      arguments.put("adapter", adapter);
    }
    arguments.put("suites", List.of("b4mad"));
    arguments.put("limit", 1);
    arguments.put("max_new_tokens", 16);
    return arguments;
  }

  @Test
  void aTrainedAdapterIsEvaluatedPromotedListedAndExported() throws Exception {
    Path created = dir.resolve("models/tiny");
    JarRun init = JarRun.of("model", "init", "--out", created.toString(), "--seed", "5", "--tokenizer",
        JarRun.fixtures("qwen3-tokenizer-8k").toString(), "--dtype", "f32");
    assertEquals(0, init.exitCode(), init.stderr());
    Path model = created.toRealPath();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lines.add(DatasetsIT.example("b4-" + i));
    }
    Path data = dir.resolve("data/train.jsonl");
    Files.createDirectories(data.getParent());
    Files.write(data, lines, StandardCharsets.UTF_8);

    McpSyncClient client = ServerProcess.sdkClient("--workspace", dir.resolve("ws").toString(), "--allow-dir", dir.toString());
    try {
      Map<String, Object> sft = new LinkedHashMap<>();
      sft.put("model", model.toString());
      sft.put("dataset", data.toString());
      sft.put("max_steps", 2);
      sft.put("batch_size", 4);
      sft.put("grad_accum", 1);
      sft.put("rank", 4);
      sft.put("lr", 1e-3);
      Map<?, ?> queued = call(client, "train_sft", sft);
      String run = finished(client, queued);
      String adapter = queued.get("run_dir") + "/adapter";
      String evalId = finished(client, call(client, "eval_run", eval(model, adapter)));

      Map<?, ?> promoted = call(client, "model_promote", Map.of("adapter", run));
      Map<?, ?> production = (Map<?, ?>) promoted.get("production");
      assertEquals(run, production.get("name"));
      assertEquals(evalId, production.get("candidate_eval"));
      assertEquals(adapter, production.get("adapter"));

      Map<?, ?> listed = call(client, "models_list", Map.of());
      Map<?, ?> lineage = (Map<?, ?>) ((List<?>) listed.get("adapters")).get(0);
      assertEquals(run, lineage.get("name"));
      assertEquals(model.toString(), lineage.get("base_model"));
      assertEquals(data.toRealPath().toString(), lineage.get("dataset"));
      assertEquals(queued.get("bead_id"), lineage.get("bead_id"));
      assertEquals(true, lineage.get("production"));
      assertEquals(2, ((Number) lineage.get("steps")).intValue());
      Map<?, ?> evaluation = (Map<?, ?>) ((List<?>) lineage.get("evals")).get(0);
      assertEquals(evalId, evaluation.get("eval_id"));
      assertEquals(3, ((Number) evaluation.get("cases")).intValue());
      assertTrue(evaluation.get("pass_rate") instanceof Number, evaluation.toString());
      Map<?, ?> base = ((List<?>) listed.get("base_models")).stream().map(m -> (Map<?, ?>) m)
          .filter(m -> m.get("path").equals(model.toString())).findFirst().orElseThrow();
      assertEquals(Map.of("name", "models/tiny", "source", "allowed_dir", "loadable", true, "production", false),
          Map.of("name", base.get("name"), "source", base.get("source"), "loadable", base.get("loadable"),
              "production", base.get("production")));

      finished(client, call(client, "eval_run", eval(model, null)));
      String rival = refusal(client, "model_promote", Map.of("model", model.toString(), "min_margin", 1));
      assertTrue(rival.startsWith("not promoted: models/tiny does not pass the gate against production " + run), rival);
      assertTrue(refusal(client, "model_rollback", Map.of()).contains("first production"));

      Map<?, ?> exported = call(client, "model_export", Map.of("adapter", run, "merged", true));
      Path merged = Path.of(exported.get("path").toString());
      assertEquals(dir.resolve("ws").toRealPath().resolve("models/exports/" + run + "-merged"), merged);
      assertTrue(((List<?>) exported.get("files")).contains("model.safetensors"), exported.toString());
      assertTrue(((Map<?, ?>) exported.get("serve")).get("llama_cpp").toString().contains("convert_hf_to_gguf.py " + merged));
      assertTrue(Files.readString(merged.resolve("README.md")).contains(evalId));
      JarRun score = JarRun.of("model", "score", "--model", merged.toString(), "--token-ids", "3,17,256");
      assertEquals(0, score.exitCode(), score.stderr());
      assertEquals(2, Json.MAPPER.readTree(score.stdout()).path("logprobs").size(), score.stdout());

      McpSchema.ReadResourceResult pointer =
          client.readResource(new McpSchema.ReadResourceRequest("successor://models/production"));
      String text = ((McpSchema.TextResourceContents) pointer.contents().get(0)).text();
      assertEquals(run, Json.MAPPER.readTree(text).path("production").path("name").asString());
      Map<?, ?> bead = call(client, "bead_show", Map.of("id", queued.get("bead_id")));
      assertTrue(bead.get("notes").toString().contains("Promoted to production"), bead.toString());
    } finally {
      client.closeGracefully();
    }
  }
}
