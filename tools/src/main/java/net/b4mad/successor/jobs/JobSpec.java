package net.b4mad.successor.jobs;

import java.nio.file.Path;
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
public record JobSpec(String kind, JsonNode settings, int priority, String beadId) {

  public static final String FILE = "job.json";

  public void write(Path runDir) {
    AtomicFiles.writeStringUnchecked(runDir.resolve(FILE), Json.writePretty(this) + "\n");
  }

  public static JobSpec read(Path runDir) {
    return Json.MAPPER.convertValue(Json.readTree(runDir.resolve(FILE)), JobSpec.class);
  }
}
