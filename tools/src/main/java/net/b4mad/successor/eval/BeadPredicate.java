package net.b4mad.successor.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * One predicate of an episode's {@code final} list: a check of one bead (chosen by {@code id} or by
 * {@code title_contains}), or of how many beads pass some checks ({@code {"count": {...}, "equals": 3}}).
 */
public sealed interface BeadPredicate permits BeadPredicate.Select, BeadPredicate.Count {

  /** What is wrong with the store's beads at the end, or null when the predicate holds. */
  String failure(List<Bead> beads);

  /**
   * What a bead must be like. Every field is optional; the text ones match case-insensitive substrings, the
   * lists must all be present (labels_include, depends_on: ids of {@code blocks} dependencies) or all absent
   * (labels_exclude). {@code id} and {@code title_contains} choose beads.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Checks(
      String id,
      String titleContains,
      String status,
      Integer priority,
      String issueType,
      List<String> labelsInclude,
      List<String> labelsExclude,
      String closeReasonContains,
      String notesContain,
      String descriptionContains,
      List<String> dependsOn) {

    static final Set<String> FIELDS = Set.of("id", "title_contains", "status", "priority", "issue_type",
        "labels_include", "labels_exclude", "close_reason_contains", "notes_contain", "description_contains",
        "depends_on");

    /** What about BEAD fails these checks; empty when it passes them all. */
    List<String> failures(Bead bead) {
      List<String> failures = new ArrayList<>();
      if (id != null && !id.equals(bead.id())) {
        failures.add("id is " + bead.id() + ", expected " + id);
      }
      if (titleContains != null && !contains(bead.title(), titleContains)) {
        failures.add("title '" + bead.title() + "' does not contain '" + titleContains + "'");
      }
      if (status != null && !status.equals(bead.status())) {
        failures.add("status is " + bead.status() + ", expected " + status);
      }
      if (priority != null && priority != bead.priority()) {
        failures.add("priority is " + bead.priority() + ", expected " + priority);
      }
      if (issueType != null && !issueType.equals(bead.issueType())) {
        failures.add("issue_type is " + bead.issueType() + ", expected " + issueType);
      }
      for (String label : labelsInclude == null ? List.<String>of() : labelsInclude) {
        if (!bead.labels().contains(label)) {
          failures.add("labels " + bead.labels() + " lack '" + label + "'");
        }
      }
      for (String label : labelsExclude == null ? List.<String>of() : labelsExclude) {
        if (bead.labels().contains(label)) {
          failures.add("labels " + bead.labels() + " include '" + label + "'");
        }
      }
      if (closeReasonContains != null && !contains(bead.closeReason(), closeReasonContains)) {
        failures.add("close reason " + quoted(bead.closeReason()) + " does not contain '" + closeReasonContains + "'");
      }
      if (notesContain != null && !contains(bead.notes(), notesContain)) {
        failures.add("notes " + quoted(bead.notes()) + " do not contain '" + notesContain + "'");
      }
      if (descriptionContains != null && !contains(bead.description(), descriptionContains)) {
        failures.add("description " + quoted(bead.description()) + " does not contain '" + descriptionContains + "'");
      }
      for (String blocker : dependsOn == null ? List.<String>of() : dependsOn) {
        if (!bead.blockers().contains(blocker)) {
          failures.add("has no blocks dependency on " + blocker + " (it waits for " + bead.blockers() + ")");
        }
      }
      return failures;
    }
  }

  /** The one bead CHECKS.id or CHECKS.titleContains names must pass all of CHECKS. */
  record Select(@JsonValue Checks checks) implements BeadPredicate {

    @Override
    public String failure(List<Bead> beads) {
      List<Bead> chosen;
      String which;
      if (checks.id() != null) {
        chosen = beads.stream().filter(b -> b.id().equals(checks.id())).toList();
        which = checks.id();
        if (chosen.isEmpty()) {
          return "no bead " + which + " at the end (the beads: " + beads.stream().map(Bead::id).toList() + ")";
        }
      } else {
        chosen = beads.stream().filter(b -> contains(b.title(), checks.titleContains())).toList();
        which = "the bead titled '*" + checks.titleContains() + "*'";
        if (chosen.size() != 1) {
          return (chosen.isEmpty() ? "no bead" : chosen.size() + " beads " + chosen.stream().map(Bead::id).toList())
              + " with a title containing '" + checks.titleContains() + "' at the end, expected exactly one"
              + " (the titles: " + beads.stream().map(Bead::title).toList() + ")";
        }
        which += " (" + chosen.get(0).id() + ")";
      }
      List<String> failures = checks.failures(chosen.get(0));
      return failures.isEmpty() ? null : which + ": " + String.join("; ", failures);
    }
  }

  /** Exactly EQUALS beads pass all of COUNT. */
  record Count(Checks count, int equals) implements BeadPredicate {

    @Override
    public String failure(List<Bead> beads) {
      List<String> passing = beads.stream().filter(b -> count.failures(b).isEmpty()).map(Bead::id).toList();
      return passing.size() == equals ? null
          : passing.size() + " beads " + passing + " match " + ToolCallChecker.show(Json.MAPPER.valueToTree(count)) + ", expected " + equals;
    }
  }

  static BeadPredicate parse(JsonNode predicate) {
    if (predicate == null || !predicate.isObject()) {
      throw new IllegalArgumentException("a predicate must be an object, got " + ToolCallChecker.show(predicate));
    }
    if (predicate.has("count")) {
      JsonNode equals = predicate.get("equals");
      if (predicate.size() != 2 || equals == null || !equals.isIntegralNumber() || equals.intValue() < 0) {
        throw new IllegalArgumentException(
            "a count predicate is {\"count\": {checks}, \"equals\": N}, got " + ToolCallChecker.show(predicate));
      }
      return new Count(checks(predicate.get("count")), equals.intValue());
    }
    Checks checks = checks(predicate);
    if ((checks.id() == null) == (checks.titleContains() == null)) {
      throw new IllegalArgumentException(
          "a predicate chooses its bead by 'id' or by 'title_contains' (one of them), got "
              + ToolCallChecker.show(predicate));
    }
    return new Select(checks);
  }

  private static Checks checks(JsonNode checks) {
    if (!checks.isObject()) {
      throw new IllegalArgumentException("checks must be an object, got " + ToolCallChecker.show(checks));
    }
    for (var field : checks.properties()) {
      if (!Checks.FIELDS.contains(field.getKey())) {
        throw new IllegalArgumentException(
            "unknown check '" + field.getKey() + "'; the checks are " + Checks.FIELDS.stream().sorted().toList()
                + ", and {\"count\": {checks}, \"equals\": N}");
      }
    }
    String status = text(checks, "status");
    if (status != null && !Bead.STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be one of " + Bead.STATUSES + ", got '" + status + "'");
    }
    String type = text(checks, "issue_type");
    if (type != null && !Bead.TYPES.contains(type)) {
      throw new IllegalArgumentException("issue_type must be one of " + Bead.TYPES + ", got '" + type + "'");
    }
    JsonNode priority = checks.get("priority");
    if (priority != null && (!priority.isIntegralNumber() || priority.intValue() < 0 || priority.intValue() > 4)) {
      throw new IllegalArgumentException("priority must be 0 to 4, got " + ToolCallChecker.show(priority));
    }
    return new Checks(text(checks, "id"), text(checks, "title_contains"), status,
        priority == null ? null : priority.intValue(), type, texts(checks, "labels_include"),
        texts(checks, "labels_exclude"), text(checks, "close_reason_contains"), text(checks, "notes_contain"),
        text(checks, "description_contains"), texts(checks, "depends_on"));
  }

  private static String text(JsonNode checks, String field) {
    JsonNode value = checks.get(field);
    if (value == null) {
      return null;
    }
    if (!value.isString() || value.stringValue().isEmpty()) {
      throw new IllegalArgumentException(field + " must be non-empty text, got " + ToolCallChecker.show(value));
    }
    return value.stringValue();
  }

  private static List<String> texts(JsonNode checks, String field) {
    JsonNode value = checks.get(field);
    if (value == null) {
      return null;
    }
    List<String> texts = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(item -> texts.add(item.isString() ? item.stringValue() : null));
    }
    if (!value.isArray() || texts.isEmpty() || texts.contains(null)) {
      throw new IllegalArgumentException(field + " must be a non-empty array of text, got " + ToolCallChecker.show(value));
    }
    return List.copyOf(texts);
  }

  private static boolean contains(String text, String part) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }

  private static String quoted(String text) {
    return text == null || text.isEmpty() ? "(none)" : "'" + text + "'";
  }
}
