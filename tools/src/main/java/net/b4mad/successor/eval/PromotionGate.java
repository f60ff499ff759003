package net.b4mad.successor.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolException;

/**
 * Whether a candidate model may replace the production one, judged on the same cases: it must win overall by at
 * least {@code minMargin} (in pass rate) and lose no category by more than {@code maxRegression}; with
 * {@code requireSignificance}, the overall win must also be significant (McNemar, p below {@code alpha}).
 */
public record PromotionGate(double minMargin, double maxRegression, boolean requireSignificance, double alpha) {

  /** A two-point overall win, no category down by more than five points, significance reported not required. */
  public static final PromotionGate DEFAULT = new PromotionGate(0.02, 0.05, false, 0.05);

  public PromotionGate {
    if (minMargin < 0 || maxRegression < 0 || !(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException(
          "min_margin and max_regression must not be negative and alpha must be in (0, 1)");
    }
  }

  /**
   * The gate a tool call asks for (min_margin, max_regression, require_significance, alpha), the defaults for
   * what it leaves out; out-of-range thresholds are the caller's to fix, so they fail as a tool error.
   */
  public static PromotionGate fromArguments(ToolCall call) {
    try {
      return new PromotionGate(call.number("min_margin", DEFAULT.minMargin()),
          call.number("max_regression", DEFAULT.maxRegression()),
          call.bool("require_significance", false), call.number("alpha", DEFAULT.alpha()));
    } catch (IllegalArgumentException e) {
      throw new ToolException(e.getMessage(), e);
    }
  }

  /** The verdict with every reason that decided it, passing or failing. */
  public record Decision(boolean pass, List<String> reasons, EvalComparison.Result comparison) {}

  public Decision judge(List<CaseOutcome> production, List<CaseOutcome> candidate) {
    EvalComparison.Result comparison = EvalComparison.compare(production, candidate);
    EvalComparison.Delta overall = comparison.overall();
    List<String> failures = new ArrayList<>();
    List<String> passes = new ArrayList<>();
    if (overall.cases() == 0) {
      failures.add("the runs share no cases: evaluate both models on the same suites");
    } else if (overall.delta() < minMargin) {
      failures.add(String.format(Locale.ROOT, "overall pass rate %.3f vs %.3f: a change of %+.3f, below the margin %.3f",
          overall.candidateRate(), overall.baselineRate(), overall.delta(), minMargin));
    } else {
      passes.add(String.format(Locale.ROOT, "overall pass rate %.3f vs %.3f: %+.3f, at least the margin %.3f",
          overall.candidateRate(), overall.baselineRate(), overall.delta(), minMargin));
    }
    for (EvalComparison.Delta category : comparison.categories()) {
      if (category.delta() < -maxRegression) {
        failures.add(String.format(Locale.ROOT, "category %s regresses %+.3f (%d broken, %d fixed), beyond the tolerance %.3f",
            category.category(), category.delta(), category.broken(), category.fixed(), maxRegression));
      }
    }
    if (requireSignificance && overall.pValue() >= alpha) {
      failures.add(String.format(Locale.ROOT, "the overall difference is not significant (McNemar p = %.3g, alpha %.3g)",
          overall.pValue(), alpha));
    }
    List<String> reasons = new ArrayList<>(failures);
    reasons.addAll(passes);
    reasons.add(comparison.significance());
    return new Decision(failures.isEmpty(), reasons, comparison);
  }
}
