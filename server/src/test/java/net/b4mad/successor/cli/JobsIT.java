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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training as jobs through MCP, with the SDK's client against the built jar: the server queues, a detached worker
 * process trains a tiny model, and the job tools watch it, through a killed worker, a killed server and a cancel.
 */
class JobsIT {

  @TempDir static Path dir;
  static Path model;
  static Path data;

  @BeforeAll
  static void prepare() throws Exception {
    model = dir.resolve("models/tiny");
    JarRun.tinyModel(model);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lines.add(DatasetsIT.example("b4-" + i));
    }
    data = dir.resolve("data/train.jsonl");
    Files.createDirectories(data.getParent());
    Files.write(data, lines, StandardCharsets.UTF_8);
  }

  private static McpSyncClient server(Path workspace, List<McpSchema.ProgressNotification> progress) {
    return ServerProcess.sdkClient(progress::add, "--workspace", workspace.toString(), "--allow-dir", dir.toString());
  }

  private static Map<String, Object> sft(int steps, int saveSteps) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    arguments.put("model", model.toString());
    arguments.put("dataset", data.toString());
    arguments.put("max_steps", steps);
    arguments.put("save_steps", saveSteps);
    arguments.put("batch_size", 4);
    arguments.put("grad_accum", 1);
    arguments.put("rank", 4);
    arguments.put("logging_steps", 1);
    arguments.put("lr", 1e-3);
    return arguments;
  }

  private static Map<?, ?> await(McpSyncClient client, String job, Predicate<Map<?, ?>> done) throws Exception {
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      Map<?, ?> status = call(client, "job_status", Map.of("job_id", job));
      if (done.test(status)) {
        return status;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job + " never got there");
  }

  private static int step(Map<?, ?> status) {
    return status.get("step") instanceof Number n ? n.intValue() : 0;
  }

  @Test
  void trainSftReturnsAtOnceAndJobWaitStreamsProgressUntilItSucceeds() throws Exception {
    Path workspace = dir.resolve("ws-basic");
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    McpSyncClient client = server(workspace, progress);
    try {
      long start = System.nanoTime();
      Map<?, ?> first = call(client, "train_sft", sft(12, 6));
      Map<?, ?> second = call(client, "train_sft", sft(6, 6));
      assertTrue((System.nanoTime() - start) / 1e9 < 60, "queueing returns without training");
      assertEquals("queued", first.get("state"));
      assertTrue(first.get("run_dir").toString().startsWith(workspace.toRealPath().resolve("runs").toString()));
      assertTrue(((Map<?, ?>) first.get("memory")).containsKey("fits"), first.toString());

      Map<?, ?> done = call(client, "job_wait", Map.of("job_id", first.get("job_id"), "timeout_s", 300));
      assertEquals("succeeded", done.get("state"), done.toString());
      assertEquals(12, step(done));
      assertEquals(12, ((Number) done.get("total_steps")).intValue());
      assertTrue(progress.stream().anyMatch(p -> p.message() != null && p.message().startsWith("step ")),
          "job_wait sent progress: " + progress);
      Path runDir = Path.of(first.get("run_dir").toString());
      assertTrue(Files.isRegularFile(runDir.resolve("adapter/adapter_model.safetensors")));
      assertTrue(Files.isRegularFile(runDir.resolve("job.json")));

      Map<?, ?> next = call(client, "job_wait", Map.of("job_id", second.get("job_id"), "timeout_s", 300));
      assertEquals("succeeded", next.get("state"));
      assertTrue(!Instant.parse(next.get("started_at").toString()).isBefore(Instant.parse(done.get("finished_at").toString())),
          "the second job started after the first ended: never together");

      String id = first.get("job_id").toString();
      McpSchema.ReadResourceResult png = client.readResource(new McpSchema.ReadResourceRequest("successor://runs/" + id + "/loss.png"));
      byte[] image = Base64.getDecoder().decode(((McpSchema.BlobResourceContents) png.contents().get(0)).blob());
      assertEquals((byte) 0x89, image[0]);
      assertEquals('P', image[1]);
      McpSchema.ReadResourceResult metrics = client.readResource(new McpSchema.ReadResourceRequest("successor://runs/" + id + "/metrics"));
      assertEquals(12, ((McpSchema.TextResourceContents) metrics.contents().get(0)).text().strip().split("\n").length);
      List<?> logs = (List<?>) call(client, "job_logs", Map.of("job_id", id, "lines", 5)).get("lines");
      assertTrue(logs.get(logs.size() - 1).toString().contains("succeeded: 12 steps"), logs.toString());
      List<?> jobs = (List<?>) call(client, "job_list", Map.of("state", "succeeded")).get("jobs");
      assertEquals(2, jobs.size());

      Map<?, ?> bead = call(client, "bead_show", Map.of("id", first.get("bead_id")));
      assertEquals("closed", bead.get("status"), bead.toString());
      assertTrue(bead.get("close_reason").toString().startsWith("12 steps, loss "), bead.toString());
      assertTrue(((List<?>) bead.get("labels")).containsAll(List.of("successor", "sft")), bead.toString());
      assertTrue(bead.get("notes").toString().contains("Checkpoint at step 6"), bead.toString());
      assertTrue(bead.get("description").toString().contains("\"max_steps\" : 12"), bead.toString());
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void aKilledWorkerLeavesAFailedJobThatJobResumeFinishes() throws Exception {
    Path workspace = dir.resolve("ws-kill");
    McpSyncClient client = server(workspace, new ArrayList<>());
    try {
      String job = call(client, "train_sft", sft(40, 4)).get("job_id").toString();
      Map<?, ?> running = await(client, job, status -> step(status) >= 6);
      long pid = ((Number) running.get("worker_pid")).longValue();
      ProcessHandle worker = ProcessHandle.of(pid).orElseThrow();
      worker.destroyForcibly();
      worker.onExit().get();

      Map<?, ?> failed = call(client, "job_status", Map.of("job_id", job));
      assertEquals("failed", failed.get("state"), failed.toString());
      assertTrue(failed.get("error").toString().contains("job_resume"), failed.get("error").toString());
      assertEquals("blocked", call(client, "bead_show", Map.of("id", failed.get("bead_id"))).get("status"));
      call(client, "job_resume", Map.of("job_id", job));
      Map<?, ?> done = call(client, "job_wait", Map.of("job_id", job, "timeout_s", 300));
      assertEquals("succeeded", done.get("state"), done.toString());
      assertEquals(40, step(done));
      List<String> metrics = Files.readAllLines(Path.of(done.get("run_dir").toString()).resolve("metrics.jsonl"));
      assertEquals(40, metrics.size(), "resumed from the checkpoint, each step logged once");
      assertEquals("closed", call(client, "bead_show", Map.of("id", done.get("bead_id"))).get("status"));
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void theWorkerOutlivesTheServerAndANewServerSeesTheJob() throws Exception {
    Path workspace = dir.resolve("ws-server");
    McpSyncClient first = server(workspace, new ArrayList<>());
    String job;
    long pid;
    try {
      job = call(first, "train_sft", sft(30, 10)).get("job_id").toString();
      pid = ((Number) await(first, job, status -> step(status) >= 1).get("worker_pid")).longValue();
    } finally {
      first.closeGracefully();
    }
    Thread.sleep(1000);
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the worker is still training");

    McpSyncClient second = server(workspace, new ArrayList<>());
    try {
      Map<?, ?> seen = call(second, "job_status", Map.of("job_id", job));
      assertTrue(List.of("running", "succeeded").contains(seen.get("state")), seen.toString());
      assertEquals("succeeded", call(second, "job_wait", Map.of("job_id", job, "timeout_s", 300)).get("state"));
    } finally {
      second.closeGracefully();
    }
  }

  @Test
  void cancelStopsARunningJobAfterItsStepWithACheckpoint() throws Exception {
    Path workspace = dir.resolve("ws-cancel");
    McpSyncClient client = server(workspace, new ArrayList<>());
    try {
      String job = call(client, "train_sft", sft(1000, 500)).get("job_id").toString();
      await(client, job, status -> step(status) >= 2);
      Map<?, ?> asked = call(client, "job_cancel", Map.of("job_id", job));
      assertEquals(Boolean.TRUE, asked.get("cancel_requested"));
      Map<?, ?> cancelled = call(client, "job_wait", Map.of("job_id", job, "timeout_s", 120));
      assertEquals("cancelled", cancelled.get("state"), cancelled.toString());
      int stoppedAt = ((Number) ((Map<?, ?>) cancelled.get("result")).get("step")).intValue();
      assertTrue(stoppedAt >= 2 && stoppedAt < 1000);
      assertTrue(Files.isDirectory(Path.of(cancelled.get("run_dir").toString()).resolve("checkpoints/checkpoint-" + stoppedAt)));

      CallToolResult refused = client.callTool(new CallToolRequest("job_cancel", Map.of("job_id", job)));
      assertEquals(Boolean.TRUE, refused.isError());
      CallToolResult tooBig = client.callTool(new CallToolRequest("train_sft",
          Map.of("model", model.toString(), "dataset", data.toString(), "memory_gib", 0.001)));
      assertEquals(Boolean.TRUE, tooBig.isError());
      assertTrue(tooBig.content().toString().contains("GiB are available"), tooBig.content().toString());
    } finally {
      client.closeGracefully();
    }
  }
}
