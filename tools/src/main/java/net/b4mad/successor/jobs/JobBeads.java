package net.b4mad.successor.jobs;

import java.util.Map;

/**
 * The bead that tracks each job: opened when it is queued, in progress when the worker starts it, notes at its
 * checkpoints, closed with a one-line result or blocked with the error.
 */
public interface JobBeads {

  /** Beads are not kept (no tracker configured). */
  JobBeads NONE = new JobBeads() {
    @Override
    public String opened(String jobId, JobSpec spec) {
      return spec.beadId();
    }
  };

  /** Called before the job is queued; returns the bead id to record (the spec's own, or a new one). */
  String opened(String jobId, JobSpec spec);

  default void started(Job job, String detail) {}

  default void checkpoint(Job job, int step, Map<String, Object> metrics) {}

  default void finished(Job job, JobState state, String summary) {}
}
