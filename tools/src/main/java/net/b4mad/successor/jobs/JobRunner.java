package net.b4mad.successor.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the jobs of some kinds. Adding a kind (eval, a pipeline step) is a new runner given to the worker.
 */
public interface JobRunner {

  /** What the worker tells a running job, and what the job tells back. */
  interface Control {
    /** True once the job was cancelled or the worker is shutting down: stop at the next safe point. */
    boolean stopRequested();

    /** A line for the job's log ({@code log.txt} in its run directory). */
    void log(String line);

    /** A checkpoint was saved at {@code step}; {@code metrics} is the last metrics line. */
    default void checkpoint(int step, Map<String, Object> metrics) {}
  }

  /**
   * How a job ended when it did not throw: {@code succeeded}, or {@code cancelled} (it stopped when asked, with
   * its state saved). {@code summary} is one line, for the job's bead.
   */
  record Outcome(JobState state, String summary, Map<String, Object> result) {}

  List<String> kinds();

  /** Validates a job's settings before it is queued; throws IllegalArgumentException with what is wrong. */
  void check(JobSpec spec);

  /**
   * Runs the job. Exceptions fail it, with their message as the reason.
   *
   * @param resume continue from the last checkpoint in {@code runDir} rather than start
   */
  Outcome run(JobSpec spec, Path runDir, boolean resume, Control control) throws Exception;
}
