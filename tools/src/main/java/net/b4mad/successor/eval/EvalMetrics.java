package net.b4mad.successor.eval;

import java.util.List;
import java.util.function.Predicate;

/**
 * Counts and rates over a set of case results: every case counts for passed, json_valid, tool_selection and
 * arguments; no_call, delegate and episode cases also count for their own accuracy. A rate is null where it
 * would divide by zero cases.
 */
public record EvalMetrics(
    int cases,
    int passed,
    int jsonValid,
    int toolSelection,
    int arguments,
    Double passRate,
    Double jsonValidRate,
    Double toolSelectionRate,
    Double argumentsRate,
    int noCallCases,
    int noCallPassed,
    Double noCallAccuracy,
    int delegateCases,
    int delegatePassed,
    Double delegationAccuracy,
    int episodeCases,
    int episodePassed,
    Double episodeSuccess) {

  public static EvalMetrics of(List<CaseResult> results) {
    int cases = results.size();
    int passed = count(results, CaseResult::passed);
    int jsonValid = count(results, CaseResult::jsonValid);
    int toolSelection = count(results, CaseResult::toolSelection);
    int arguments = count(results, CaseResult::arguments);
    List<CaseResult> noCall = ofKind(results, "no_call");
    List<CaseResult> delegate = ofKind(results, "delegate");
    List<CaseResult> episode = ofKind(results, "episode");
    int noCallPassed = count(noCall, CaseResult::passed);
    int delegatePassed = count(delegate, CaseResult::passed);
    int episodePassed = count(episode, CaseResult::passed);
    return new EvalMetrics(cases, passed, jsonValid, toolSelection, arguments,
        rate(passed, cases), rate(jsonValid, cases), rate(toolSelection, cases), rate(arguments, cases),
        noCall.size(), noCallPassed, rate(noCallPassed, noCall.size()),
        delegate.size(), delegatePassed, rate(delegatePassed, delegate.size()),
        episode.size(), episodePassed, rate(episodePassed, episode.size()));
  }

  private static List<CaseResult> ofKind(List<CaseResult> results, String kind) {
    return results.stream().filter(r -> r.kind().equals(kind)).toList();
  }

  private static int count(List<CaseResult> results, Predicate<CaseResult> test) {
    return (int) results.stream().filter(test).count();
  }

  private static Double rate(int count, int of) {
    return of == 0 ? null : (double) count / of;
  }
}
