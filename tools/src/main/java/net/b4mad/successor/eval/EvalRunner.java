package net.b4mad.successor.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import net.b4mad.successor.chat.ParsedCompletion;
import net.b4mad.successor.chat.ToolCallParser;

/**
 * Runs cases through a {@link Responder} and checks what comes back: a single-turn case's completion is parsed
 * ({@link ToolCallParser}) and judged by its expectation, an episode runs in the {@link EpisodeSimulator}. The
 * result is an {@link EvalReport}.
 *
 * <p>A {@code <tool_call>} block that does not parse fails its case whatever the expectation: it is a call the
 * model meant to make, and nobody can tell which. (BFCL drops such blocks, so an irrelevance case can pass there
 * with a broken call.)
 */
public final class EvalRunner {

  /** Told after each case: how many are done, of how many. */
  @FunctionalInterface
  public interface Progress {
    void update(int done, int total);
  }

  private final BooleanSupplier stop;
  private final Progress progress;
  private EpisodeSimulator episodes;

  public EvalRunner() {
    this(() -> false, (done, total) -> {});
  }

  /**
   * @param stop asked before each case; once it says true the run ends, and its report is marked cancelled
   * @param progress told after each case
   */
  public EvalRunner(BooleanSupplier stop, Progress progress) {
    this.stop = stop;
    this.progress = progress;
  }

  /** Runs every case of SUITES, in order, with the one responder (a model). */
  public EvalReport run(List<EvalSuite> suites, Responder responder) {
    return runPerCase(suites, evalCase -> responder);
  }

  /** Runs every case of SUITES, in order, each with its own responder (its gold answer, a recorded output). */
  public EvalReport runPerCase(List<EvalSuite> suites, Function<EvalCase, Responder> responders) {
    int total = suites.stream().mapToInt(suite -> suite.cases().size()).sum();
    List<CaseResult> results = new ArrayList<>();
    for (EvalSuite suite : suites) {
      for (EvalCase evalCase : suite.cases()) {
        if (stop.getAsBoolean()) {
          return EvalReport.of(total, true, results);
        }
        results.add(runCase(suite.name(), evalCase, responders.apply(evalCase)));
        progress.update(results.size(), total);
      }
    }
    return EvalReport.of(total, false, results);
  }

  /** Runs one case; SUITE is only recorded in the result. */
  public CaseResult runCase(String suite, EvalCase evalCase, Responder responder) {
    Expectation expectation = evalCase.expectation();
    if (expectation instanceof Expectation.Episode episode) {
      EpisodeSimulator.Result result = episodes().run(evalCase, episode, responder);
      return new CaseResult(suite, evalCase.id(), evalCase.category(), expectation.kind(), result.passed(),
          result.jsonValid(), result.toolSelection(), result.arguments(),
          result.passed() ? null : String.join("; ", result.failures()), expectation.summary(), null, result.turns());
    }
    String output = responder.respond(evalCase.conversation());
    ParsedCompletion parsed = ToolCallParser.parse(output);
    Expectation.Verdict verdict = ((Expectation.Turn) expectation).judge(parsed.toolCalls(), evalCase.tools());
    List<String> broken = toolCallErrors(parsed);
    List<String> errors = new ArrayList<>(broken);
    if (verdict.error() != null) {
      errors.add(verdict.error());
    }
    return new CaseResult(suite, evalCase.id(), evalCase.category(), expectation.kind(),
        verdict.passed() && broken.isEmpty(), broken.isEmpty(), verdict.toolSelection(), verdict.arguments(),
        errors.isEmpty() ? null : String.join("; ", errors), expectation.summary(), output, null);
  }

  /** The {@code <tool_call>} blocks that did not parse, each with why. */
  static List<String> toolCallErrors(ParsedCompletion parsed) {
    return parsed.errors().stream()
        .filter(error -> error.raw().startsWith("<tool_call>"))
        .map(error -> "a <tool_call> block does not parse (" + error.reason() + "): " + cut(error.raw()))
        .toList();
  }

  private static String cut(String raw) {
    String flat = raw.replace('\n', ' ');
    return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
  }

  /** Made on the first episode: its schema validator costs a few hundred classes that other runs never need. */
  private EpisodeSimulator episodes() {
    if (episodes == null) {
      episodes = new EpisodeSimulator();
    }
    return episodes;
  }
}
