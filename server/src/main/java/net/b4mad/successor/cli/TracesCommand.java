package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.traces.ImportReport;
import net.b4mad.successor.traces.SecretScrubber;
import net.b4mad.successor.traces.TraceImport;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.traces.importers.TraceFormats;
import net.b4mad.successor.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code successor traces ...}: the traces tools for humans and scripts. */
@Command(
    name = "traces",
    description = "Import conversation traces into the workspace.",
    subcommands = {TracesCommand.Import.class})
public final class TracesCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints what the {@code traces_import} tool returns. */
  @Command(
      name = "import",
      description = {
        "Import a trace file or a directory of them (as the traces_import tool does) and print the report as JSON.",
        "Formats: OpenAI chat, Anthropic Messages, Claude Code session JSONL, ShareGPT (LLaMA-Factory), canonical;"
            + " detected per file unless --format is given. Secrets are scrubbed before anything is stored."
      })
  static final class Import implements Callable<Integer> {

    @Mixin WorkspaceOption workspace;

    @Parameters(index = "0", paramLabel = "PATH", description = "A trace file, or a directory (walked recursively).")
    Path path;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = FormatNames.class,
        description = "The format, when detection should not decide: ${COMPLETION-CANDIDATES}.")
    String format;

    @Option(names = "--agent", paramLabel = "NAME", description = "The agent the traces are from.")
    String agent;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag for every imported trace (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--keep-emails", description = "Keep e-mail addresses (other secrets are scrubbed regardless).")
    boolean keepEmails;

    @Override
    public Integer call() throws Exception {
      Workspace opened = Workspace.open(workspace.directory(), List.of());
      TraceImport.Options options =
          new TraceImport.Options(
              format, agent, tags, keepEmails ? SecretScrubber.keepingEmails() : SecretScrubber.all());
      ImportReport report =
          new TraceImport(new TraceStore(opened.store()))
              .run(path.toAbsolutePath(), options, ToolContext.detached("traces import"));
      System.out.println(Json.writePretty(report));
      return 0;
    }
  }

  static final class FormatNames extends ArrayList<String> {
    FormatNames() {
      super(TraceFormats.names());
    }
  }
}
