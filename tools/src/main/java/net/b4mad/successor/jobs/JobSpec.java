package net.b4mad.successor.jobs;

import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * Everything needed to run a job, self-contained, as {@code job.json} in its run directory: the kind, the kind's
 * own settings (for training, the {@code TrainingConfig}), the queue priority, and the bead that tracks it. The
 * worker is the only code that runs a spec, so another backend (a Kubernetes Job on a GPU node) can run the same
 * file.
 *
 * @param priority higher runs first; equal priorities run in the order they were enqueued
 */
public record JobSpec(String kind, JsonNode settings, int priority, String beadId, List<String> dependsOn,
    String parentBead, String pipelineId) {

  public static final String FILE = "job.json";

  /**
   * @param dependsOn jobs that must succeed before this one starts (it is cancelled when one of them does not)
   * @param parentBead the bead this job's bead belongs to (a pipeline's), or null
   * @param pipelineId the pipeline this job is a step of, or null
   */
  public JobSpec {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  /** A job on its own: no dependencies, no pipeline. */
  public JobSpec(String kind, JsonNode settings, int priority, String beadId) {
    this(kind, settings, priority, beadId, List.of(), null, null);
  }

  public JobSpec withBead(String bead) {
    return new JobSpec(kind, settings, priority, bead, dependsOn, parentBead, pipelineId);
  }

  public void write(Path runDir) {
    AtomicFiles.writeStringUnchecked(runDir.resolve(FILE), Json.writePretty(this) + "\n");
  }

  public static JobSpec read(Path runDir) {
    return Json.MAPPER.convertValue(Json.readTree(runDir.resolve(FILE)), JobSpec.class);
  }
}
