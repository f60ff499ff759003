package net.b4mad.successor.beads;

import java.util.List;

/**
 * A change to a bead, as {@code bd update} makes it. Closing has its own call, {@link Beads#close}, so that a
 * reason goes with it.
 *
 * @param status the new status, one of {@link #STATUSES}, or null to keep it
 * @param appendNotes text added to the bead's notes on a new line, or null
 */
public record BeadUpdate(String status, String appendNotes, List<String> addLabels, List<String> removeLabels) {

  public static final List<String> STATUSES = List.of("open", "in_progress", "blocked", "deferred");

  public BeadUpdate {
    if (status != null && !STATUSES.contains(status)) {
      throw new IllegalArgumentException(
          "status must be one of " + STATUSES + ", got '" + status + "'"
              + (status.equals("closed") ? "; close a bead with bead_close" : ""));
    }
    appendNotes = appendNotes == null || appendNotes.isEmpty() ? null : appendNotes;
    addLabels = NewBead.labels(addLabels);
    removeLabels = NewBead.labels(removeLabels);
  }

  public static BeadUpdate status(String status) {
    return new BeadUpdate(status, null, null, null);
  }

  public static BeadUpdate notes(String text) {
    return new BeadUpdate(null, text, null, null);
  }

  public boolean isEmpty() {
    return status == null && appendNotes == null && addLabels.isEmpty() && removeLabels.isEmpty();
  }
}
