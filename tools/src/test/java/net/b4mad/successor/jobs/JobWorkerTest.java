package net.b4mad.successor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobWorkerTest {

  @TempDir Path dir;
  Workspace workspace;
  JobStore jobs;

  /** A job kind whose settings say how long to "train" and whether to fail. */
  static final class FakeRunner implements JobRunner {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final List<String> order = new CopyOnWriteArrayList<>();

    @Override
    public List<String> kinds() {
      return List.of("fake");
    }

    @Override
    public void check(JobSpec spec) {}

    @Override
    public Outcome run(JobSpec spec, Path runDir, boolean resume, Control control) throws Exception {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      order.add(runDir.getFileName().toString());
      try {
        if (spec.settings().path("fail").asBoolean(false)) {
          throw new IllegalStateException("the fake run broke");
        }
        for (int step = 0; step < spec.settings().path("steps").asInt(3); step++) {
          if (control.stopRequested()) {
            return new Outcome(JobState.CANCELLED, "stopped at step " + step, Map.of());
          }
          control.log("step " + step);
          Thread.sleep(20);
        }
        return new Outcome(JobState.SUCCEEDED, "done", Map.of());
      } finally {
        running.decrementAndGet();
      }
    }
  }

  @BeforeEach
  void open() {
    workspace = Workspace.open(dir, List.of());
    jobs = new JobStore(workspace.store());
  }

  private String enqueue(String id, String settings, int priority) throws Exception {
    Path runDir = workspace.runsDir().resolve(id);
    Files.createDirectories(runDir);
    JobSpec spec = new JobSpec("fake", Json.MAPPER.readTree(settings), priority, null);
    spec.write(runDir);
    jobs.enqueue(id, spec, runDir.toString());
    return id;
  }

  @Test
  void queuedJobsRunOneAfterTheOtherNeverTogether() throws Exception {
    FakeRunner runner = new FakeRunner();
    enqueue("first", "{}", 0);
    Thread.sleep(2);
    enqueue("second", "{}", 0);
    Thread.sleep(2);
    enqueue("urgent", "{}", 9);
    List<String> out = new ArrayList<>();
    JobWorker worker = new JobWorker(workspace, List.of(runner), JobBeads.NONE, out::add);

    assertEquals(3, worker.drain());
    assertEquals(1, runner.mostAtOnce.get());
    assertEquals(List.of("urgent", "first", "second"), runner.order);
    for (String id : List.of("first", "second", "urgent")) {
      assertEquals(JobState.SUCCEEDED, jobs.require(id).state());
    }
    String log = Files.readString(workspace.runsDir().resolve("first").resolve(JobWorker.LOG));
    assertTrue(log.contains("starting fake job first") && log.contains("step 2") && log.contains("succeeded: done"), log);
  }

  @Test
  void aSecondWorkerFindsTheLockTakenAndLeaves() throws Exception {
    FakeRunner runner = new FakeRunner();
    enqueue("long", "{\"steps\": 1000}", 0);
    JobWorker first = new JobWorker(workspace, List.of(runner), JobBeads.NONE, line -> {});
    Thread thread = new Thread(first::drain);
    thread.start();
    while (runner.running.get() == 0) {
      Thread.sleep(5);
    }
    assertEquals(0, new JobWorker(workspace, List.of(runner), JobBeads.NONE, line -> {}).drain());
    assertTrue(WorkerLock.held(workspace.root()));
    jobs.cancel("long");
    thread.join(10_000);
    assertEquals(JobState.CANCELLED, jobs.require("long").state());
    assertEquals(1, runner.mostAtOnce.get());
  }

  @Test
  void aFailingJobIsFailedWithItsReasonAndTheQueueGoesOn() throws Exception {
    enqueue("broken", "{\"fail\": true}", 1);
    enqueue("fine", "{}", 0);
    List<String> beads = new CopyOnWriteArrayList<>();
    JobBeads recording = new JobBeads() {
      @Override
      public String opened(String jobId, JobSpec spec) {
        return null;
      }

      @Override
      public void finished(Job job, JobState state, String summary) {
        beads.add(job.id() + " " + state.label() + " " + summary);
      }
    };
    assertEquals(2, new JobWorker(workspace, List.of(new FakeRunner()), recording, line -> {}).drain());
    Job broken = jobs.require("broken");
    assertEquals(JobState.FAILED, broken.state());
    assertEquals("the fake run broke", broken.error());
    assertEquals(JobState.SUCCEEDED, jobs.require("fine").state());
    assertEquals(List.of("broken failed the fake run broke", "fine succeeded done"), beads);
    assertTrue(Files.readString(workspace.runsDir().resolve("broken").resolve(JobWorker.LOG))
        .contains("IllegalStateException"), "the stack trace is in the job's log");
  }

  @Test
  void aJobLeftRunningByADeadWorkerIsFailedWhenTheNextWorkerStarts() throws Exception {
    enqueue("orphan", "{}", 0);
    jobs.claimNext(999_999, job -> {});
    new JobWorker(workspace, List.of(new FakeRunner()), JobBeads.NONE, line -> {}).drain();
    Job orphan = jobs.require("orphan");
    assertEquals(JobState.FAILED, orphan.state());
    assertTrue(orphan.error().contains("job_resume"), orphan.error());
  }
}
