package net.b4mad.successor.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two eval runs on the same cases, paired case by case: the pass-rate change per category and overall, which
 * cases the candidate fixed and which it broke, and McNemar's exact test on the discordant pairs, so that a
 * difference of a few cases is not mistaken for progress. Cases present in only one run are listed and left out.
 */
public final class EvalComparison {

  /** One category (or all of them): pass counts and rates on the paired cases, fixed and broken counts, p-value. */
  public record Delta(String category, int cases, int baselinePassed, int candidatePassed, double baselineRate,
      double candidateRate, double delta, int fixed, int broken, double pValue) {}

  public record Result(Delta overall, List<Delta> categories, List<String> fixed, List<String> broken,
      List<String> unpaired, String significance) {}

  private EvalComparison() {}

  public static Result compare(List<CaseOutcome> baseline, List<CaseOutcome> candidate) {
    Map<String, CaseOutcome> before = new LinkedHashMap<>();
    baseline.forEach(outcome -> before.put(outcome.id(), outcome));
    Map<String, List<CaseOutcome[]>> byCategory = new TreeMap<>();
    List<CaseOutcome[]> all = new ArrayList<>();
    List<String> fixed = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    List<String> unpaired = new ArrayList<>();
    for (CaseOutcome after : candidate) {
      CaseOutcome earlier = before.remove(after.id());
      if (earlier == null) {
        unpaired.add(after.id());
        continue;
      }
      CaseOutcome[] pair = {earlier, after};
      all.add(pair);
      byCategory.computeIfAbsent(after.category(), category -> new ArrayList<>()).add(pair);
      if (!earlier.passed() && after.passed()) {
        fixed.add(after.id());
      } else if (earlier.passed() && !after.passed()) {
        broken.add(after.id());
      }
    }
    unpaired.addAll(before.keySet());
    List<Delta> categories = new ArrayList<>();
    byCategory.forEach((category, pairs) -> categories.add(delta(category, pairs)));
    Delta overall = delta("overall", all);
    return new Result(overall, categories, fixed, broken, unpaired, significance(overall));
  }

  private static Delta delta(String category, List<CaseOutcome[]> pairs) {
    int beforePassed = 0;
    int afterPassed = 0;
    int fixed = 0;
    int broken = 0;
    for (CaseOutcome[] pair : pairs) {
      beforePassed += pair[0].passed() ? 1 : 0;
      afterPassed += pair[1].passed() ? 1 : 0;
      fixed += !pair[0].passed() && pair[1].passed() ? 1 : 0;
      broken += pair[0].passed() && !pair[1].passed() ? 1 : 0;
    }
    int n = pairs.size();
    double beforeRate = n == 0 ? 0 : (double) beforePassed / n;
    double afterRate = n == 0 ? 0 : (double) afterPassed / n;
    return new Delta(category, n, beforePassed, afterPassed, beforeRate, afterRate, afterRate - beforeRate, fixed,
        broken, mcNemarExact(fixed, broken));
  }

  /**
   * Two-sided exact McNemar p-value: under "no difference", each of the {@code fixed + broken} discordant cases
   * is fixed or broken with probability 1/2, so the smaller count is binomial(n, 1/2).
   */
  static double mcNemarExact(int fixed, int broken) {
    int n = fixed + broken;
    if (n == 0) {
      return 1.0;
    }
    int k = Math.min(fixed, broken);
    double tail = 0;
    double logHalfN = n * Math.log(0.5);
    for (int i = 0; i <= k; i++) {
      tail += Math.exp(logChoose(n, i) + logHalfN);
    }
    return Math.min(1.0, 2 * tail);
  }

  private static double logChoose(int n, int k) {
    double sum = 0;
    for (int i = 1; i <= k; i++) {
      sum += Math.log(n - k + i) - Math.log(i);
    }
    return sum;
  }

  private static String significance(Delta overall) {
    if (overall.fixed() + overall.broken() == 0) {
      return "no case changed outcome: the runs do not differ on these cases";
    }
    String direction = overall.delta() > 0 ? "better" : overall.delta() < 0 ? "worse" : "no better or worse";
    String verdict = overall.pValue() < 0.05
        ? "significant at 5%: the candidate is " + direction
        : "not significant at 5%: a difference this size arises by chance too often to act on; use more cases";
    return String.format(Locale.ROOT, "%d fixed, %d broken over %d paired cases; McNemar exact p = %.3g, %s",
        overall.fixed(), overall.broken(), overall.cases(), overall.pValue(), verdict);
  }
}
