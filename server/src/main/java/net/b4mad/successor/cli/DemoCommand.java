package net.b4mad.successor.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.demo.Demo;
import net.b4mad.successor.demo.DemoBase;
import net.b4mad.successor.eval.EvalComparison;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code successor demo}: the self-tuning loop on a tiny model, offline, with progress and a before/after table. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = {
      "Run the whole self-tuning loop offline on this machine's CPU, in under ten minutes: take the bundled tiny"
          + " Qwen3 base (pretrained from random weights on general chat and generic tool use, standing in for a"
          + " pretrained base), import the bundled example traces, build a dataset with a held-out split, evaluate the"
          + " base on it, train a LoRA adapter (SFT), evaluate again, compare, and promote the tuned model if it passes"
          + " the gate.",
      "Progress goes to stderr; the table of pass rates by category, before and after, to stdout (with --json, the"
          + " summary as one JSON object instead).",
      "--make-base DIR makes the bundled base again by its recipe (about fifteen minutes on two cores)."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--workspace", paramLabel = "DIR",
      description = "Where the demo's workspace goes (default: a new folder in the system's temporary directory).")
  Path workspace;

  @Option(names = "--json", description = "Print {\"before\", \"after\", \"promoted\", \"seconds\"} as JSON on stdout.")
  boolean json;

  @Option(names = "--quick", description = "The same steps with little training and a short eval, for tests (about two minutes).")
  boolean quick;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the model, the split and the training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--make-base", paramLabel = "DIR",
      description = "Instead of the demo, make its base by the recipe of the bundled one (random weights, full"
          + " fine-tunes on copying and on the warm-up conversations, merged to bfloat16) into DIR; copy DIR's files to"
          + " tools/src/main/resources/demo/base/ to bundle it.")
  Path makeBase;

  @Override
  public Integer call() throws Exception {
    // The progress bars are the demo's output; DJL's start-up lines (engine, threads) would break them up.
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "warn");
    if (makeBase != null) {
      DemoBase.make(makeBase, DemoBase.Recipe.BUNDLED, System.err::println);
      System.out.println(makeBase);
      return 0;
    }
    Path dir = workspace != null ? workspace : Files.createTempDirectory("successor-demo-");
    Workspace opened = Workspace.open(dir, List.of());
    Demo.Plan plan = quick ? Demo.Plan.quick(seed) : Demo.Plan.full(seed);
    // The demo's beads stay in its own workspace, whatever bd the machine has.
    Demo.Result result = new Demo(opened, new EmbeddedBeads(opened.root()), plan, new Bar(System.err)).run();
    if (json) {
      System.out.println(Json.write(result.summary()));
      table(result, System.err);
    } else {
      table(result, System.out);
    }
    return 0;
  }

  private static void table(Demo.Result result, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "%-24s %6s %8s %8s %8s%n", "held-out pass rate", "cases", "before", "after", "change");
    for (EvalComparison.Delta category : result.comparison().categories()) {
      row(out, category);
    }
    row(out, result.comparison().overall());
    Demo.Summary summary = result.summary();
    out.printf(Locale.ROOT, "%-24s %6s %8s %8s%n", "of all held-out cases", "", "before", "after");
    share(out, "right tool (or none)", summary, Demo.RIGHT_TOOL);
    share(out, "valid JSON", summary, Demo.VALID_JSON);
    out.println();
    // A refusal's reasons already begin "not promoted: ...".
    String reasons = String.join("; ", result.promotion());
    out.println(summary.promoted() ? "Promoted: " + reasons : Character.toUpperCase(reasons.charAt(0)) + reasons.substring(1));
    out.printf(Locale.ROOT, "%d s in all. The workspace: %s (successor serve --workspace %s shows it over MCP).%n",
        summary.seconds(), result.workspace(), result.workspace());
  }

  private static void share(PrintStream out, String label, Demo.Summary summary, String metric) {
    double before = summary.before().get(metric);
    double after = summary.after().get(metric);
    out.printf(Locale.ROOT, "  %-22s %6s %8.3f %8.3f %+8.3f%n", label, "", before, after, after - before);
  }

  private static void row(PrintStream out, EvalComparison.Delta delta) {
    out.printf(Locale.ROOT, "  %-22s %6d %8.3f %8.3f %+8.3f%n", delta.category(), delta.cases(), delta.baselineRate(),
        delta.candidateRate(), delta.delta());
  }

  /**
   * A progress bar per stage on stderr: redrawn in place on a terminal, else a line at every tenth, so a log
   * file stays readable.
   */
  static final class Bar implements Demo.Progress {

    private static final int WIDTH = 24;

    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private String stage;
    private int number;
    private long stageStart;
    private int lastTenth;
    private boolean drawn;

    Bar(PrintStream err) {
      this.err = err;
    }

    @Override
    public void stage(String name) {
      stage = name;
      number++;
      stageStart = System.nanoTime();
      lastTenth = 0;
      drawn = false;
    }

    @Override
    public void advance(int done, int total) {
      if (total <= 0) {
        return;
      }
      double elapsed = (System.nanoTime() - stageStart) / 1e9;
      String left = done == 0 ? "" : "  " + clock(elapsed * (total - done) / done) + " left";
      if (terminal) {
        int filled = (int) ((long) WIDTH * done / total);
        err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d%s   ", label(), "#".repeat(filled), ".".repeat(WIDTH - filled), done,
            total, left);
        drawn = true;
      } else if (done * 10 / total > lastTenth) {
        lastTenth = done * 10 / total;
        err.printf(Locale.ROOT, "%s %d/%d%s%n", label(), done, total, left);
      }
    }

    @Override
    public void finished(String outcome) {
      if (drawn) {
        err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
      }
      err.printf(Locale.ROOT, "%s %s (%s)%n", label(), outcome, clock((System.nanoTime() - stageStart) / 1e9));
    }

    private String label() {
      return String.format(Locale.ROOT, "[%d/%d] %-10s", number, Demo.Progress.STAGES, stage);
    }

    private static String clock(double seconds) {
      long s = Math.round(seconds);
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
  }
}
