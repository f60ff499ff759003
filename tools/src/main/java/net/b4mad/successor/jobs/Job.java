package net.b4mad.successor.jobs;

import java.util.List;

/**
 * A job as the store holds it. Times are ISO-8601 instants; {@code heartbeatAt} is the worker's last sign of life
 * while the job runs.
 */
public record Job(
    String id,
    String kind,
    JobState state,
    int priority,
    String beadId,
    String runDir,
    String createdAt,
    String updatedAt,
    String startedAt,
    String finishedAt,
    String heartbeatAt,
    Long workerPid,
    String error,
    boolean cancelRequested,
    boolean resume,
    List<String> dependsOn,
    String pipelineId) {

  public Job {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }
}
