package net.b4mad.successor.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.b4mad.successor.eval.BfclSuite;
import net.b4mad.successor.eval.CaseResult;
import net.b4mad.successor.eval.EvalCase;
import net.b4mad.successor.eval.EvalReport;
import net.b4mad.successor.eval.EvalRunner;
import net.b4mad.successor.eval.EvalSuite;
import net.b4mad.successor.eval.GoldResponder;
import net.b4mad.successor.eval.RecordedOutputs;
import net.b4mad.successor.eval.Responder;
import net.b4mad.successor.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code successor eval ...}: check answers that are already written down, without a model. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Check model outputs against eval suites and BFCL, without running a model.",
    subcommands = {EvalCommand.Bfcl.class, EvalCommand.Check.class})
public final class EvalCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One line of {@code eval bfcl}'s output. */
  record Verdict(String id, boolean valid, String error) {}

  @Command(
      name = "bfcl",
      mixinStandardHelpOptions = true,
      description = {
        "BFCL's AST check of recorded Qwen3 outputs: prints one JSON line {\"id\", \"valid\", \"error\"} per question.",
        "OUTPUTS holds JSON lines {\"id\": ..., \"result\": \"<raw model text with <tool_call> blocks>\"}; a question"
            + " without an output is invalid. The category comes from the id (simple_python_3: simple_python)."
            + " Exit 0 however many are invalid; 2 when an input file is wrong."
      })
  static final class Bfcl implements Callable<Integer> {

    @Option(names = "--questions", required = true, paramLabel = "FILE", description = "BFCL_v4_<category>.json.")
    Path questions;

    @Option(names = "--answers", paramLabel = "FILE",
        description = "possible_answer/BFCL_v4_<category>.json (not needed for the irrelevance categories).")
    Path answers;

    @Option(names = "--outputs", required = true, paramLabel = "FILE", description = "The model's outputs, JSON lines.")
    Path outputs;

    @Override
    public Integer call() {
      EvalSuite suite = BfclSuite.read(questions, answers);
      RecordedOutputs recorded = RecordedOutputs.read(outputs);
      EvalRunner runner = new EvalRunner();
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      int valid = 0;
      for (EvalCase evalCase : suite.cases()) {
        Verdict verdict;
        if (recorded.has(evalCase.id())) {
          CaseResult result = runner.runCase(suite.name(), evalCase, recorded.responder(evalCase));
          verdict = new Verdict(evalCase.id(), result.passed(), result.error());
        } else {
          verdict = new Verdict(evalCase.id(), false, "no output for " + evalCase.id() + " in " + outputs);
        }
        valid += verdict.valid() ? 1 : 0;
        out.println(Json.write(verdict));
      }
      out.flush();
      Set<String> asked = suite.cases().stream().map(EvalCase::id).collect(Collectors.toSet());
      long unknown = recorded.ids().stream().filter(id -> !asked.contains(id)).count();
      System.err.printf("%s: %d of %d valid%s%n", suite.name(), valid, suite.cases().size(),
          unknown == 0 ? "" : "; " + unknown + " outputs are for ids that are not among the questions");
      return 0;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Run a suite's cases against recorded outputs, or, without --outputs, against the cases' own gold answers"
            + " (a suite author's self-check), and print the report as JSON.",
        "OUTPUTS holds JSON lines {\"id\": ..., \"result\": \"<raw model text>\"}; for an episode, result may be the"
            + " array of its turns' texts. Cases without an output (or without gold) are left out and counted on"
            + " stderr. Exit 0 however many fail; 2 when an input file is wrong."
      })
  static final class Check implements Callable<Integer> {

    @Option(names = "--suite", required = true, paramLabel = "FILE", description = "The suite, JSON lines.")
    Path suite;

    @Option(names = "--outputs", paramLabel = "FILE", description = "Recorded outputs; the gold answers when absent.")
    Path outputs;

    @Override
    public Integer call() {
      EvalSuite read = EvalSuite.read(suite);
      List<EvalCase> cases;
      Function<EvalCase, Responder> responders;
      if (outputs != null) {
        RecordedOutputs recorded = RecordedOutputs.read(outputs);
        cases = read.cases().stream().filter(c -> recorded.has(c.id())).toList();
        responders = recorded::responder;
      } else {
        cases = read.cases().stream().filter(c -> !c.gold().isEmpty()).toList();
        responders = GoldResponder::of;
      }
      EvalReport report =
          new EvalRunner().runPerCase(List.of(new EvalSuite(read.name(), read.path(), cases)), responders);
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      out.println(Json.writePretty(report));
      out.flush();
      int left = read.cases().size() - cases.size();
      System.err.printf("%s: %d of %d cases passed%s%n", read.name(), report.overall().passed(), cases.size(),
          left == 0 ? "" : "; " + left + " left out (no " + (outputs != null ? "output" : "gold answer") + ")");
      return 0;
    }
  }
}
