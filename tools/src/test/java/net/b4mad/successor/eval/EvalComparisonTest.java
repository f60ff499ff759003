package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalComparisonTest {

  /** {@code pattern}: one letter per case, p = passed, f = failed; categories a (first half) and b. */
  private static List<CaseOutcome> run(String pattern) {
    List<CaseOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < pattern.length(); i++) {
      outcomes.add(new CaseOutcome("c" + i, i < pattern.length() / 2 ? "a" : "b", pattern.charAt(i) == 'p'));
    }
    return outcomes;
  }

  @Test
  void pairsCasesAndCountsWhatWasFixedAndBroken() {
    EvalComparison.Result result = EvalComparison.compare(run("ffpp" + "pppf"), run("pfpf" + "pppp"));
    assertEquals(List.of("c0", "c7"), result.fixed());
    assertEquals(List.of("c3"), result.broken());
    assertEquals(8, result.overall().cases());
    assertEquals(5, result.overall().baselinePassed());
    assertEquals(6, result.overall().candidatePassed());
    assertEquals(0.125, result.overall().delta(), 1e-12);
    EvalComparison.Delta a = result.categories().get(0);
    assertEquals("a", a.category());
    assertEquals(0.0, a.delta(), 1e-12);
    assertEquals(1, a.fixed());
    assertEquals(1, a.broken());
    assertTrue(result.significance().contains("not significant"), result.significance());
  }

  /** Exact McNemar: 10 fixed, 0 broken gives p = 2 * 0.5^10; 5 and 5 gives 1. */
  @Test
  void mcNemarIsTheExactBinomialTest() {
    assertEquals(2 * Math.pow(0.5, 10), EvalComparison.mcNemarExact(10, 0), 1e-15);
    assertEquals(1.0, EvalComparison.mcNemarExact(5, 5), 1e-12);
    // 8 vs 2 of 10: 2 * P(X <= 2) = 2 * (1 + 10 + 45) / 1024
    assertEquals(2 * 56 / 1024.0, EvalComparison.mcNemarExact(8, 2), 1e-12);
    assertEquals(1.0, EvalComparison.mcNemarExact(0, 0));
  }

  @Test
  void theGatePassesAClearWinAndRefusesARegressionInAnyCategory() {
    List<CaseOutcome> production = run("ffffffffff" + "pppppppppp");
    PromotionGate gate = new PromotionGate(0.02, 0.05, true, 0.05);
    PromotionGate.Decision win = gate.judge(production, run("pppppppppp" + "pppppppppp"));
    assertTrue(win.pass(), win.reasons().toString());

    PromotionGate.Decision regression = gate.judge(production, run("pppppppppp" + "pppppppfpp"));
    assertFalse(regression.pass());
    assertTrue(regression.reasons().get(0).startsWith("category b regresses -0.100"), regression.reasons().toString());

    PromotionGate.Decision noise = gate.judge(production, run("ppffffffff" + "pppppppppp"));
    assertFalse(noise.pass(), "two fixed cases are not significant");
    assertTrue(PromotionGate.DEFAULT.judge(production, run("ppffffffff" + "pppppppppp")).pass(),
        "without requiring significance, a 10-point win passes (and the note says p)");
  }
}
