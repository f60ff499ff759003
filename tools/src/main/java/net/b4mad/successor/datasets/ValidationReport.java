package net.b4mad.successor.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of validating many examples: counts by problem kind over all of them, and the problems
 * themselves up to a limit (a dataset with one systematic fault would otherwise list it 50,000 times).
 */
public record ValidationReport(
    int examples, int valid, int invalid, Map<String, Integer> problemsByKind, List<ValidationProblem> problems,
    boolean truncated) {

  public static ValidationReport of(List<ValidationProblem> all, int examples, int invalid, int maxProblems) {
    Map<String, Integer> byKind = countByKind(all);
    List<ValidationProblem> shown = new ArrayList<>(all.subList(0, Math.min(all.size(), maxProblems)));
    return new ValidationReport(examples, examples - invalid, invalid, byKind, shown, all.size() > shown.size());
  }

  public static Map<String, Integer> countByKind(List<ValidationProblem> problems) {
    Map<String, Integer> byKind = new TreeMap<>();
    problems.forEach(problem -> byKind.merge(problem.kind(), 1, Integer::sum));
    return byKind;
  }
}
