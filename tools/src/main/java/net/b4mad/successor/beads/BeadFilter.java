package net.b4mad.successor.beads;

/**
 * Which beads {@link Beads#list} and {@link Beads#ready} return.
 *
 * @param status one of {@link Bead#STATUSES}, {@code all}, or null for every bead that is not closed (bd list's
 *     default); {@link Beads#ready} ignores it
 * @param label only beads with this label, or null
 * @param type only beads of this type, or null
 * @param limit at most this many; 0 for all
 */
public record BeadFilter(String status, String label, String type, int limit) {

  public static final String ALL = "all";

  public BeadFilter {
    if (status != null && !status.equals(ALL) && !Bead.STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be one of " + Bead.STATUSES + " or all, got '" + status + "'");
    }
    if (type != null && !Bead.TYPES.contains(type)) {
      throw new IllegalArgumentException("type must be one of " + Bead.TYPES + ", got '" + type + "'");
    }
    if (label != null && label.contains(",")) {
      throw new IllegalArgumentException("filter by one label at a time, got '" + label + "'");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 (all) or more, got " + limit);
    }
  }

  public static BeadFilter everything() {
    return new BeadFilter(ALL, null, null, 0);
  }
}
