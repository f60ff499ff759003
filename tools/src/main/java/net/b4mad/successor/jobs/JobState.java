package net.b4mad.successor.jobs;

import java.util.Locale;

/** Where a job is: waiting, running in the worker, or ended one of three ways. */
public enum JobState {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean ended() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public static JobState parse(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
