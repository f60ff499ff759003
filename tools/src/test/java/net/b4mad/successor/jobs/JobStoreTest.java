package net.b4mad.successor.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStoreTest {

  @TempDir Path dir;
  JobStore jobs;

  @BeforeEach
  void open() {
    jobs = new JobStore(Workspace.open(dir, List.of()).store());
  }

  private Job enqueue(String id, int priority) {
    return jobs.enqueue(id, new JobSpec("sft", Json.MAPPER.createObjectNode(), priority, null), dir.resolve(id).toString());
  }

  @Test
  void jobsAreClaimedByPriorityThenInTheOrderQueued() throws Exception {
    enqueue("a", 0);
    Thread.sleep(2);
    enqueue("b", 5);
    Thread.sleep(2);
    enqueue("c", 0);
    assertEquals("b", jobs.claimNext(1, job -> {}).orElseThrow().id());
    assertEquals("a", jobs.claimNext(1, job -> {}).orElseThrow().id());
    Job c = jobs.claimNext(1, job -> {}).orElseThrow();
    assertEquals("c", c.id());
    assertEquals(JobState.RUNNING, c.state());
    assertEquals(1L, c.workerPid());
    assertTrue(jobs.claimNext(1, job -> {}).isEmpty());
  }

  @Test
  void everyChangeOfStateIsTimestampedInTheHistory() {
    enqueue("a", 0);
    jobs.claimNext(7, job -> {});
    jobs.finish("a", JobState.SUCCEEDED, null, "12 steps, loss 0.4");
    List<JobStore.Event> history = jobs.events("a");
    assertEquals(List.of("queued", "running", "succeeded"), history.stream().map(JobStore.Event::state).toList());
    assertEquals("worker 7", history.get(1).detail());
    assertEquals("12 steps, loss 0.4", history.get(2).detail());
    assertTrue(history.stream().allMatch(event -> event.at().endsWith("Z")));
  }

  @Test
  void cancellingAQueuedJobEndsItAndARunningOneAsksTheWorker() {
    enqueue("queued", 0);
    assertEquals(JobState.CANCELLED, jobs.cancel("queued").state());
    enqueue("running", 0);
    jobs.claimNext(3, job -> {});
    Job asked = jobs.cancel("running");
    assertEquals(JobState.RUNNING, asked.state());
    assertTrue(asked.cancelRequested());
    assertTrue(jobs.heartbeat("running", 3), "the worker learns of the cancel with its heartbeat");
    ToolException ended = assertThrows(ToolException.class, () -> jobs.cancel("queued"));
    assertTrue(ended.getMessage().contains("already ended (cancelled)"), ended.getMessage());
  }

  @Test
  void aJobWhoseWorkerIsGoneFailsAndCanBeResumed() {
    enqueue("a", 0);
    jobs.claimNext(4242, job -> {});
    assertTrue(jobs.failStale(Duration.ofMinutes(5), pid -> true).isEmpty(), "alive and beating: not stale");
    List<Job> stale = jobs.failStale(Duration.ofMinutes(5), pid -> false);
    assertEquals(1, stale.size());
    assertEquals(JobState.FAILED, stale.get(0).state());
    assertTrue(stale.get(0).error().contains("pid 4242") && stale.get(0).error().contains("job_resume"),
        stale.get(0).error());

    Job queued = jobs.resume("a");
    assertEquals(JobState.QUEUED, queued.state());
    assertTrue(queued.resume());
    assertEquals(null, queued.error());
    assertEquals("a", jobs.claimNext(5, job -> {}).orElseThrow().id());
    jobs.finish("a", JobState.SUCCEEDED, null, "done");
    assertFalse(jobs.require("a").resume());
    assertThrows(ToolException.class, () -> jobs.resume("a"));
  }

  @Test
  void aSilentWorkerMakesItsJobStale() throws Exception {
    enqueue("a", 0);
    jobs.claimNext(1, job -> {});
    Thread.sleep(20);
    assertEquals(1, jobs.failStale(Duration.ofMillis(10), pid -> true).size());
  }

  @Test
  void aJobWaitsForItsDependenciesAndIsCancelledWhenOneFails() {
    JobSpec first = new JobSpec("sft", Json.MAPPER.createObjectNode(), 0, null);
    JobSpec urgentButDependent =
        new JobSpec("eval", Json.MAPPER.createObjectNode(), 9, null, List.of("train"), null, "p1");
    jobs.enqueue("train", first, dir.resolve("train").toString());
    jobs.enqueue("eval", urgentButDependent, dir.resolve("eval").toString());
    jobs.enqueue("after-eval",
        new JobSpec("promote", Json.MAPPER.createObjectNode(), 9, null, List.of("eval"), null, "p1"),
        dir.resolve("after").toString());

    assertEquals("train", jobs.claimNext(1, job -> {}).orElseThrow().id(), "priority does not jump a dependency");
    assertTrue(jobs.claimNext(1, job -> {}).isEmpty(), "the rest wait while train runs");
    jobs.finish("train", JobState.SUCCEEDED, null, "done");
    Job eval = jobs.claimNext(1, job -> {}).orElseThrow();
    assertEquals("eval", eval.id());
    assertEquals(List.of("train"), eval.dependsOn());
    assertEquals("p1", eval.pipelineId());
    jobs.finish("eval", JobState.FAILED, "out of memory", "failed");

    List<Job> cancelled = new java.util.ArrayList<>();
    assertTrue(jobs.claimNext(1, cancelled::add).isEmpty());
    assertEquals(List.of("after-eval"), cancelled.stream().map(Job::id).toList());
    assertEquals(JobState.CANCELLED, jobs.require("after-eval").state());
    assertEquals("not run: job eval failed", jobs.require("after-eval").error());
  }
}
