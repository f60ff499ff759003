package net.b4mad.successor.datasets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits examples into train and eval by group, so that related examples (one session's traces, one bead's
 * work) land on the same side and the eval split measures what the model has not seen in parts.
 */
final class DatasetSplitter {

  static final String GROUP_NONE = "none";
  static final String GROUP_SESSION = "session";
  static final String GROUP_BEAD = "bead";
  static final List<String> GROUPINGS = List.of(GROUP_NONE, GROUP_SESSION, GROUP_BEAD);

  /** An example to split and the group it belongs to. */
  record Item(String id, String group) {}

  /** The examples that go to eval, and how many groups went each way. */
  record Assignment(Set<String> evalIds, int trainGroups, int evalGroups) {}

  private DatasetSplitter() {}

  /**
   * Shuffles the groups with the seed (after sorting them, so the input order does not matter) and moves whole
   * groups to eval until it holds about {@code fraction} of the examples: a group that would overshoot is
   * skipped unless eval is still empty, and train is never emptied.
   */
  static Assignment byFraction(List<Item> items, double fraction, long seed) {
    Map<String, List<String>> groups = groups(items);
    List<String> keys = new ArrayList<>(groups.keySet());
    Collections.shuffle(keys, new Random(seed));
    int total = items.size();
    int target = fraction <= 0 || total < 2 ? 0 : Math.max(1, (int) Math.round(fraction * total));
    Set<String> eval = new HashSet<>();
    int evalGroups = 0;
    for (String key : keys) {
      if (eval.size() >= target) {
        break;
      }
      List<String> members = groups.get(key);
      boolean fits = eval.size() + members.size() <= target || eval.isEmpty();
      if (fits && eval.size() + members.size() < total) {
        eval.addAll(members);
        evalGroups++;
      }
    }
    return new Assignment(eval, groups.size() - evalGroups, evalGroups);
  }

  /** Every group with a held-out member goes to eval whole. */
  static Assignment heldOut(List<Item> items, Set<String> heldOutIds) {
    Map<String, List<String>> groups = groups(items);
    Set<String> eval = new HashSet<>();
    int evalGroups = 0;
    for (List<String> members : groups.values()) {
      if (members.stream().anyMatch(heldOutIds::contains)) {
        eval.addAll(members);
        evalGroups++;
      }
    }
    return new Assignment(eval, groups.size() - evalGroups, evalGroups);
  }

  private static Map<String, List<String>> groups(List<Item> items) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (Item item : items) {
      groups.computeIfAbsent(item.group(), k -> new ArrayList<>()).add(item.id());
    }
    return groups;
  }

  /** The group key of an example: its session or first bead, else the example alone. */
  static String groupOf(String grouping, String exampleId, String sessionId, List<String> beadIds) {
    if (grouping.equals(GROUP_SESSION) && sessionId != null && !sessionId.isBlank()) {
      return "session:" + sessionId;
    }
    if (grouping.equals(GROUP_BEAD) && beadIds != null && !beadIds.isEmpty()) {
      return "bead:" + beadIds.get(0);
    }
    return "example:" + exampleId;
  }
}
