package net.b4mad.successor.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * Queues jobs of any kind for the worker: checks the settings with the kind's runner, makes the job's folder,
 * opens its bead, writes the self-contained {@code job.json}, records the job, and makes sure a worker runs.
 */
public final class JobQueue {

  private final Workspace workspace;
  private final WorkerLauncher launcher;
  private final JobBeads beads;
  private final Map<String, JobRunner> runners = new LinkedHashMap<>();

  public JobQueue(Workspace workspace, WorkerLauncher launcher, JobBeads beads, List<JobRunner> runners) {
    this.workspace = workspace;
    this.launcher = launcher;
    this.beads = beads;
    runners.forEach(runner -> runner.kinds().forEach(kind -> this.runners.put(kind, runner)));
  }

  public JobStore store() {
    return new JobStore(workspace.store());
  }

  public JobBeads beads() {
    return beads;
  }

  public WorkerLauncher launcher() {
    return launcher;
  }

  /**
   * Queues a job in a new folder under {@code parent} (the workspace's {@code runs/} or {@code evals/}).
   *
   * @param beadId an existing bead to track the job on, or null for a new one
   */
  public Job submit(String kind, JsonNode settings, int priority, String beadId, Path parent) {
    return submit(new JobSpec(kind, settings, priority, beadId), parent);
  }

  /** Queues {@code spec}: with its dependencies, parent bead and pipeline, when it is a pipeline's step. */
  public Job submit(JobSpec spec, Path parent) {
    String kind = spec.kind();
    JobRunner runner = runners.get(kind);
    if (runner == null) {
      throw new ToolException("no runner for jobs of kind '" + kind + "'; the kinds are " + runners.keySet());
    }
    try {
      runner.check(spec);
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage(), e);
    }
    String id = newId(kind);
    Path runDir = parent.resolve(id);
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + runDir + ": " + e.getMessage(), e);
    }
    JobSpec tracked = spec.withBead(beads.opened(id, spec));
    tracked.write(runDir);
    Job job = store().enqueue(id, tracked, runDir.toString());
    launcher.ensureRunning();
    return job;
  }

  /** {@code <kind>-<UTC time>-<6 hex digits>}: sortable by time, unique without coordination. */
  public static String newId(String kind) {
    String time = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    byte[] random = new byte[3];
    ThreadLocalRandom.current().nextBytes(random);
    return kind + "-" + time + "-" + HexFormat.of().formatHex(random);
  }
}
