package net.b4mad.successor.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.b4mad.successor.json.Json;

/**
 * The outcome of an eval run: metrics overall, per suite and per category, and every case's result. It is
 * plain JSON through {@link Json#MAPPER} (snake_case) both ways, as stored in {@code evals/<id>/report.json}.
 *
 * @param total how many cases the run was given
 * @param cancelled the run was stopped before all of them ran; {@code cases} holds the ones that did
 */
public record EvalReport(
    int total,
    boolean cancelled,
    EvalMetrics overall,
    Map<String, EvalMetrics> suites,
    Map<String, EvalMetrics> categories,
    List<CaseResult> cases) {

  public EvalReport {
    suites = Collections.unmodifiableMap(new LinkedHashMap<>(suites));
    categories = Collections.unmodifiableMap(new LinkedHashMap<>(categories));
    cases = List.copyOf(cases);
  }

  /** The report of RESULTS; suites keep the order they ran in, categories are sorted by name. */
  public static EvalReport of(int total, boolean cancelled, List<CaseResult> results) {
    Map<String, List<CaseResult>> bySuite = new LinkedHashMap<>();
    Map<String, List<CaseResult>> byCategory = new TreeMap<>();
    for (CaseResult result : results) {
      bySuite.computeIfAbsent(String.valueOf(result.suite()), s -> new ArrayList<>()).add(result);
      byCategory.computeIfAbsent(result.category(), c -> new ArrayList<>()).add(result);
    }
    Map<String, EvalMetrics> suites = new LinkedHashMap<>();
    bySuite.forEach((suite, cases) -> suites.put(suite, EvalMetrics.of(cases)));
    Map<String, EvalMetrics> categories = new TreeMap<>();
    byCategory.forEach((category, cases) -> categories.put(category, EvalMetrics.of(cases)));
    return new EvalReport(total, cancelled, EvalMetrics.of(results), suites, categories, results);
  }

  /** Each case's verdict, named {@code suite/id} so that runs of the same suites pair up. */
  public List<CaseOutcome> outcomes() {
    return cases.stream().map(c -> new CaseOutcome(c.suite() + "/" + c.id(), c.category(), c.passed())).toList();
  }

  /** Reads a report written with {@code Json.write(report)}. */
  public static EvalReport read(Path file) {
    return Json.MAPPER.treeToValue(Json.readTree(file), EvalReport.class);
  }
}
