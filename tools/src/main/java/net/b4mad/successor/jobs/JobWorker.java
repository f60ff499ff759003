package net.b4mad.successor.jobs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.workspace.Workspace;

/**
 * The only code that runs jobs. It holds the {@link WorkerLock} (one training job at a time on the one
 * accelerator), takes queued jobs by priority then age, sends a heartbeat every few seconds while a job runs
 * (which also picks up cancel requests), and returns when the queue is empty. It runs in its own process, started
 * detached by the server, so training outlives the MCP session that asked for it.
 */
public final class JobWorker {

  /** How often a running job's heartbeat is written. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(2);

  /** A running job whose heartbeat is older than this has lost its worker. */
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);

  public static final String LOG = "log.txt";

  private final Workspace workspace;
  private final JobStore jobs;
  private final Map<String, JobRunner> runners = new HashMap<>();
  private final JobBeads beads;
  private final Consumer<String> out;
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final long pid = ProcessHandle.current().pid();

  public JobWorker(Workspace workspace, List<JobRunner> runners, JobBeads beads, Consumer<String> out) {
    this.workspace = workspace;
    this.jobs = new JobStore(workspace.store());
    runners.forEach(runner -> runner.kinds().forEach(kind -> this.runners.put(kind, runner)));
    this.beads = beads;
    this.out = out;
  }

  /** Asks the worker to stop: the running job saves a checkpoint at its next step and is left resumable. */
  public void shutdown() {
    shutdown.set(true);
  }

  /** Runs queued jobs until there are none; returns how many it ran (0 when another worker holds the lock). */
  public int drain() {
    int ran = 0;
    while (!shutdown.get()) {
      Optional<WorkerLock> lock = acquire();
      if (lock.isEmpty()) {
        return ran;
      }
      try (WorkerLock held = lock.get()) {
        // Holding the lock proves no other worker lives: whatever is still marked running lost its worker.
        jobs.failStale(Duration.ZERO, otherPid -> false, beads);
        Optional<Job> next;
        while (!shutdown.get()
            && (next = jobs.claimNext(pid, job -> beads.finished(job, JobState.CANCELLED, job.error()))).isPresent()) {
          run(next.get());
          ran++;
        }
      }
      // A job queued while the lock was held, after the queue looked empty, found the lock taken and started no
      // worker: look once more now that it is released.
      if (jobs.list(JobState.QUEUED, null, 1).isEmpty()) {
        return ran;
      }
    }
    return ran;
  }

  /**
   * The worker lock, retried for a moment: a server checking whether a worker lives holds it for an instant, and
   * a worker it just started must not take that for another worker and leave the new job waiting.
   */
  private Optional<WorkerLock> acquire() {
    for (int attempt = 0; attempt < 20; attempt++) {
      Optional<WorkerLock> lock = WorkerLock.tryAcquire(workspace.root());
      if (lock.isPresent()) {
        return lock;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }

  private void run(Job job) {
    Path runDir = Path.of(job.runDir());
    AtomicBoolean cancelled = new AtomicBoolean();
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "successor-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    heartbeat.scheduleAtFixedRate(() -> {
      try {
        if (jobs.heartbeat(job.id(), pid)) {
          cancelled.set(true);
        }
      } catch (RuntimeException e) {
        out.accept("heartbeat of " + job.id() + " failed: " + e.getMessage());
      }
    }, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    JobRunner.Control control = new JobRunner.Control() {
      @Override
      public boolean stopRequested() {
        return cancelled.get() || shutdown.get();
      }

      @Override
      public void log(String line) {
        appendLog(runDir, line);
      }

      @Override
      public void checkpoint(int step, Map<String, Object> metrics) {
        beads.checkpoint(job, step, metrics);
      }
    };
    try {
      JobRunner runner = runners.get(job.kind());
      if (runner == null) {
        throw new IllegalArgumentException("this worker cannot run jobs of kind '" + job.kind() + "'");
      }
      String detail = "worker pid " + pid + " on " + ComputeDevices.probe().device();
      control.log((job.resume() ? "resuming" : "starting") + " " + job.kind() + " job " + job.id() + ", " + detail);
      beads.started(job, detail);
      JobRunner.Outcome outcome = runner.run(JobSpec.read(runDir), runDir, job.resume(), control);
      if (outcome.state() == JobState.CANCELLED && !cancelled.get()) {
        String reason = "the worker was stopped (a signal) during the run; " + outcome.summary();
        jobs.finish(job.id(), JobState.FAILED, reason, reason);
        beads.finished(job, JobState.FAILED, reason);
      } else {
        jobs.finish(job.id(), outcome.state(), null, outcome.summary());
        beads.finished(job, outcome.state(), outcome.summary());
      }
      control.log(outcome.state().label() + ": " + outcome.summary());
    } catch (Exception | Error e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      control.log("failed: " + trace);
      jobs.finish(job.id(), JobState.FAILED, reason, "failed: " + reason);
      beads.finished(job, JobState.FAILED, reason);
      if (e instanceof Error error && !(e instanceof OutOfMemoryError)) {
        throw error;
      }
    } finally {
      heartbeat.shutdownNow();
    }
  }

  private void appendLog(Path runDir, String line) {
    String stamped = Instant.now() + " " + line;
    out.accept(stamped);
    try {
      Files.writeString(runDir.resolve(LOG), stamped + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDir.resolve(LOG) + ": " + e.getMessage(), e);
    }
  }
}
