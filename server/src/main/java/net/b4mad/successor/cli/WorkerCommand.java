package net.b4mad.successor.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.eval.EvalJobRunner;
import net.b4mad.successor.jobs.JobBeads;
import net.b4mad.successor.jobs.JobRunner;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.jobs.TrackingBeads;
import net.b4mad.successor.jobs.JobWorker;
import net.b4mad.successor.jobs.TrainingJobRunner;
import net.b4mad.successor.pipeline.PromoteJobRunner;
import net.b4mad.successor.pairs.PairsJobRunner;
import net.b4mad.successor.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code successor worker}: runs the workspace's queued jobs one at a time and exits when none are left. The
 * server starts it detached when it queues a job; starting it by hand is harmless (a second worker finds the
 * lock taken and exits). SIGTERM stops the running job at its next step with a checkpoint, resumable.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = {
      "Run the workspace's queued jobs (training, evals, preference pairs) one at a time, then exit.",
      "The server starts one in the background when it queues a job; it survives the server."
    })
public final class WorkerCommand implements Callable<Integer> {

  private static final long STOP_GRACE_MINUTES = 30;

  @Mixin WorkspaceOption workspace;

  @Mixin BeadsOptions beadsOptions;

  /** Every kind of job there is: the server checks and queues them, the worker runs them. */
  public static List<JobRunner> runners(Workspace workspace, Beads beads) {
    return List.of(new TrainingJobRunner(), new EvalJobRunner(workspace), new PairsJobRunner(workspace),
        new PromoteJobRunner(workspace, beads));
  }

  @Override
  public Integer call() {
    Workspace opened = Workspace.open(workspace.directory(), List.of());
    Beads tracker = beadsOptions.open(opened);
    JobBeads beads = new TrackingBeads(tracker, new JobStore(opened.store()));
    JobWorker worker = new JobWorker(opened, runners(opened, tracker), beads, System.err::println);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      worker.shutdown();
      try {
        finished.await(STOP_GRACE_MINUTES, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "successor-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int ran = worker.drain();
      System.err.println("successor worker: ran " + ran + " job(s); the queue is empty");
      return 0;
    } finally {
      finished.countDown();
    }
  }
}
