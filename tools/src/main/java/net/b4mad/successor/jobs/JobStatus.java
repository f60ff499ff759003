package net.b4mad.successor.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.train.RunDirectory;
import tools.jackson.databind.JsonNode;

/**
 * What {@code job_status} says about a job: its state and history from the store, its progress from the run's
 * last metrics line (step of total, loss, eval loss, tokens/s, memory, and the ETA they imply), and its result
 * once it has one.
 */
public record JobStatus(
    String jobId,
    String kind,
    String state,
    int priority,
    String beadId,
    String runDir,
    Integer step,
    Integer totalSteps,
    Double loss,
    Double evalLoss,
    Double tokensPerS,
    Double etaS,
    Double rssMib,
    Double peakRssMib,
    String error,
    boolean cancelRequested,
    Long workerPid,
    String createdAt,
    String startedAt,
    String finishedAt,
    String heartbeatAt,
    List<JobStore.Event> history,
    Map<String, Object> result) {

  public static JobStatus of(Job job, List<JobStore.Event> history) {
    Path runDir = Path.of(job.runDir());
    // job_wait polls this every 500 ms: read and parse metrics.jsonl once for the last line and the eval loss.
    List<JsonNode> metrics = RunDirectory.metrics(runDir);
    JsonNode last = metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
    Integer step = integer(last, "step");
    Integer total = integer(last, "total_steps");
    Double msPerStep = number(last, "ms_per_step");
    Double eta = step == null || total == null || msPerStep == null || job.state().ended()
        ? null : (total - step) * msPerStep / 1000;
    Map<String, Object> result = Files.isRegularFile(runDir.resolve(RunDirectory.RESULT))
        ? Json.toMap(Json.readTree(runDir.resolve(RunDirectory.RESULT))) : null;
    return new JobStatus(job.id(), job.kind(), job.state().label(), job.priority(), job.beadId(), job.runDir(),
        step, total, number(last, "loss"), lastEvalLoss(metrics), number(last, "tokens_per_s"), eta,
        number(last, "rss_mib"), number(last, "peak_rss_mib"), job.error(), job.cancelRequested(), job.workerPid(),
        job.createdAt(),
        job.startedAt(), job.finishedAt(), job.heartbeatAt(), history, result);
  }

  /** Evaluation runs every eval_steps, so the latest eval loss may sit on an earlier line than the last. */
  private static Double lastEvalLoss(List<JsonNode> metrics) {
    for (int i = metrics.size() - 1; i >= 0; i--) {
      Double value = number(metrics.get(i), "eval_loss");
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static Integer integer(JsonNode node, String field) {
    return node == null || !node.path(field).isNumber() ? null : node.path(field).asInt();
  }

  private static Double number(JsonNode node, String field) {
    return node == null || !node.path(field).isNumber() ? null : node.path(field).asDouble();
  }
}
