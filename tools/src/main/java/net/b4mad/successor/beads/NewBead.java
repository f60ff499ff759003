package net.b4mad.successor.beads;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * What {@link Beads#create} needs.
 *
 * @param dependsOn ids of beads this one waits for ({@code blocks} edges): it is not ready until they are closed
 * @param parent an epic or bead this one belongs to ({@code parent-child}), or null; beads then names the new bead
 *     {@code <parent>.<n>}
 */
public record NewBead(
    String title,
    String type,
    int priority,
    String description,
    List<String> labels,
    List<String> dependsOn,
    String parent) {

  public static final int DEFAULT_PRIORITY = 2;
  public static final int MAX_TITLE = 500;

  public NewBead {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("a bead needs a title");
    }
    if (title.length() > MAX_TITLE) {
      throw new IllegalArgumentException(
          "a bead title has at most " + MAX_TITLE + " characters, got " + title.length());
    }
    type = type == null ? "task" : type;
    if (!Bead.TYPES.contains(type)) {
      throw new IllegalArgumentException("type must be one of " + Bead.TYPES + ", got '" + type + "'");
    }
    if (priority < 0 || priority > 4) {
      throw new IllegalArgumentException("priority must be 0 (critical) to 4 (backlog), got " + priority);
    }
    description = description == null ? "" : description;
    labels = labels(labels);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(new LinkedHashSet<>(dependsOn));
  }

  /** A task with the default priority and nothing else. */
  public NewBead(String title) {
    this(title, "task", DEFAULT_PRIORITY, null, null, null, null);
  }

  /** Labels as beads keeps them: each once, no commas (bd splits its label flags on commas). */
  static List<String> labels(List<String> labels) {
    if (labels == null) {
      return List.of();
    }
    for (String label : labels) {
      if (label == null || label.isBlank() || label.contains(",")) {
        throw new IllegalArgumentException("a label must be non-empty text without commas, got '" + label + "'");
      }
    }
    return List.copyOf(new LinkedHashSet<>(labels));
  }
}
