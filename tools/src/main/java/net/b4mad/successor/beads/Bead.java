package net.b4mad.successor.beads;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One issue in beads' own JSON shape, the shape of a line of {@code .beads/issues.jsonl} (beads'
 * {@code internal/types.Issue}): snake_case through the project's mapper, empty fields left out as Go's
 * {@code omitempty} leaves them out, so {@code bd import} reads what the embedded store writes. Timestamps are
 * RFC 3339 text as beads writes them; they are kept as text so that an offset or precision bd chose survives.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Bead(
    String id,
    String title,
    String description,
    String notes,
    String status,
    int priority,
    String issueType,
    List<String> labels,
    List<Dependency> dependencies,
    String createdAt,
    String updatedAt,
    String closedAt,
    String closeReason) {

  public static final List<String> STATUSES = List.of("open", "in_progress", "blocked", "deferred", "closed");
  public static final List<String> TYPES = List.of("bug", "feature", "task", "epic", "chore");
  /** The dependency kinds beads ships; blocks and parent-child decide what is ready. */
  public static final List<String> DEPENDENCY_TYPES = List.of("blocks", "parent-child", "related", "discovered-from");

  public static final String BLOCKS = "blocks";
  public static final String PARENT_CHILD = "parent-child";

  /** Beads' own defaults for fields its exports may leave out ({@code Issue.SetDefaults}). */
  public Bead {
    status = status == null || status.isEmpty() ? "open" : status;
    issueType = issueType == null || issueType.isEmpty() ? "task" : issueType;
    labels = labels == null ? List.of() : List.copyOf(labels);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
  }

  /** An edge as beads stores it: {@code issue_id} depends on {@code depends_on_id}. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Dependency(
      String issueId,
      String dependsOnId,
      String type,
      String createdAt,
      String createdBy,
      String metadata,
      String threadId) {

    public Dependency(String issueId, String dependsOnId, String type, String createdAt) {
      this(issueId, dependsOnId, type, createdAt, null, null, null);
    }
  }

  /** The type, when it is one of {@link #DEPENDENCY_TYPES}. */
  public static String dependencyType(String type) {
    if (!DEPENDENCY_TYPES.contains(type)) {
      throw new IllegalArgumentException("a dependency type is one of " + DEPENDENCY_TYPES + ", got '" + type + "'");
    }
    return type;
  }

  /** Closed, or deleted (a beads tombstone): it blocks nothing any more. */
  public boolean resolved() {
    return status.equals("closed") || status.equals("tombstone");
  }

  /** The ids this bead waits for through {@code blocks} edges. */
  public List<String> blockers() {
    return dependencies.stream().filter(d -> BLOCKS.equals(d.type())).map(Dependency::dependsOnId).toList();
  }

  /** The parent through a {@code parent-child} edge, or null. */
  public String parent() {
    return dependencies.stream()
        .filter(d -> PARENT_CHILD.equals(d.type()))
        .map(Dependency::dependsOnId)
        .findFirst()
        .orElse(null);
  }
}
