package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped B4mad suite: the size the evaluation issue asks for, and every case's gold answer passes. */
class B4madSuiteTest {

  private static final Path SUITE_DIR = Path.of("").toAbsolutePath().getParent().resolve("examples/eval/b4mad");

  @Test
  void everyGoldAnswerPassesItsCase() {
    List<EvalSuite> suites = new ArrayList<>();
    for (String name : List.of("mcp_tool_calling", "bead_operations", "delegation")) {
      suites.add(EvalSuite.read(SUITE_DIR.resolve(name + ".jsonl")));
    }
    EvalReport report = new EvalRunner().runPerCase(suites, GoldResponder::of);

    List<String> failing = report.cases().stream().filter(c -> !c.passed()).map(c -> c.id() + ": " + c.error()).toList();
    assertEquals(List.of(), failing);
    assertTrue(report.total() >= 60, "at least 60 hand-written cases, got " + report.total());
    Map<String, EvalMetrics> categories = report.categories();
    for (String category : List.of("mcp_tool_calling", "bead_operations", "delegation")) {
      assertTrue(categories.get(category).cases() >= 18, category + ": " + categories.get(category).cases());
    }
    assertTrue(categories.get("bead_operations").episodeCases() >= 8);
    assertTrue(categories.get("delegation").delegateCases() >= 18);
    assertTrue(report.overall().noCallCases() >= 4);
  }
}
