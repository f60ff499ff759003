package net.b4mad.successor.cli;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.beads.BeadsArea;
import net.b4mad.successor.datasets.DatasetsArea;
import net.b4mad.successor.eval.EvalArea;
import net.b4mad.successor.pipeline.PipelineArea;
import net.b4mad.successor.pipeline.Pipelines;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.jobs.TrackingBeads;
import net.b4mad.successor.jobs.JobsArea;
import net.b4mad.successor.mcp.RequestCancellations;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.models.ModelDiscovery;
import net.b4mad.successor.models.ModelsArea;
import net.b4mad.successor.pairs.PairsArea;
import net.b4mad.successor.server.PromptLibrary;
import net.b4mad.successor.server.SuccessorServer;
import net.b4mad.successor.traces.TracesArea;
import net.b4mad.successor.transport.HttpAccessPolicy;
import net.b4mad.successor.transport.HttpGuardFilter;
import net.b4mad.successor.transport.HttpTransport;
import net.b4mad.successor.transport.InboundMessageGuard;
import net.b4mad.successor.transport.StdioGuard;
import net.b4mad.successor.workspace.Workspace;
import net.b4mad.successor.workspace.WorkspaceArea;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code successor serve}: MCP over stdio, or streamable HTTP with {@code --http PORT}. */
@Command(
    name = "serve",
    description = {
      "Serve MCP over stdio (the default), or over streamable HTTP at /mcp with --http PORT.",
      "On stdio, stdout carries only protocol messages; logs go to stderr."
    })
public final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Mixin WorkspaceOption workspace;

  @Mixin BeadsOptions beadsOptions;

  @Option(
      names = "--allow-dir",
      paramLabel = "DIR",
      description = "Another directory that path arguments may point into (repeatable), e.g. ~/models.")
  List<Path> allowDirs = new ArrayList<>();

  @Option(names = "--http", paramLabel = "PORT", description = "Serve streamable HTTP on this port (0: any free port).")
  Integer httpPort;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind with --http (default: ${DEFAULT-VALUE}). Any non-loopback address needs --token.")
  String host;

  @Option(
      names = "--token",
      defaultValue = "${env:SUCCESSOR_TOKEN}",
      description = "Bearer token every HTTP request must carry (default: $SUCCESSOR_TOKEN).")
  String token;

  @Option(
      names = "--allow-origin",
      paramLabel = "ORIGIN",
      description = "A browser Origin allowed besides loopback ones (repeatable), e.g. https://inspector.example.")
  List<String> allowOrigins = new ArrayList<>();

  private final List<Function<Workspace, ToolArea>> extraAreas;

  public ServeCommand() {
    this(List.of());
  }

  /** For embedding and tests: serve additional areas next to the standard ones. */
  public ServeCommand(List<Function<Workspace, ToolArea>> extraAreas) {
    this.extraAreas = List.copyOf(extraAreas);
  }

  /**
   * Reads the options of a stdio server ({@code --workspace DIR}, {@code --allow-dir DIR}, {@code --beads B},
   * {@code --beads-dir DIR}) without picocli, whose
   * classes took a fifth of the time to the {@code initialize} reply an MCP client waits for. Empty for
   * anything else ({@code --http} and its options, {@code --help}, a typo, a repeated {@code --workspace}, a
   * missing value): picocli parses that and reports what is wrong. Picocli does not run to apply defaults, so
   * an option with a default applies it here too ({@code --beads}: {@code $SUCCESSOR_BEADS}, else auto).
   */
  static Optional<ServeCommand> stdioOptions(String[] args) {
    ServeCommand serve = new ServeCommand();
    serve.workspace = new WorkspaceOption();
    serve.beadsOptions = new BeadsOptions();
    String beadsEnv = System.getenv(Beads.BACKEND_ENV);
    serve.beadsOptions.backend = beadsEnv == null ? "auto" : beadsEnv;
    boolean beadsGiven = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int equals = name.indexOf('=');
      if (equals > 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        value = args[++i];
      } else {
        return Optional.empty();
      }
      if (name.equals("--workspace") && serve.workspace.workspace == null) {
        serve.workspace.workspace = Path.of(value);
      } else if (name.equals("--allow-dir")) {
        serve.allowDirs.add(Path.of(value));
      } else if (name.equals("--beads") && !beadsGiven) {
        serve.beadsOptions.backend = value;
        beadsGiven = true;
      } else if (name.equals("--beads-dir") && serve.beadsOptions.directory == null) {
        serve.beadsOptions.directory = Path.of(value);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(serve);
  }

  @Override
  public Integer call() throws Exception {
    if (httpPort != null) {
      return serveHttp();
    }
    // Claim stdout for the protocol before anything can print to it.
    PrintStream protocolOut = System.out;
    System.setOut(System.err);
    return serveStdio(protocolOut);
  }

  /** The job queue every command that queues work uses: detached workers, a bead per job, every kind. */
  static JobQueue queue(Workspace opened, Beads beads, BeadsOptions beadsOptions) {
    return new JobQueue(opened, new ProcessWorkerLauncher(opened.root(), beadsOptions.arguments()),
        new TrackingBeads(beads, new JobStore(opened.store())), WorkerCommand.runners(opened, beads));
  }

  private List<ToolArea> areas(Workspace opened) {
    Beads beads = beadsOptions.open(opened);
    LOG.info("beads: {}", beads);
    List<ToolArea> areas = new ArrayList<>(areas(opened, beads, queue(opened, beads, beadsOptions),
        ModelDiscovery.huggingFaceCache(System.getenv(), System.getProperty("user.home"))));
    extraAreas.forEach(area -> areas.add(area.apply(opened)));
    return areas;
  }

  /** Every tool area the server offers, over these beads and this queue (the schema tests check the same list). */
  public static List<ToolArea> areas(Workspace opened, Beads beads, JobQueue queue, Path huggingFaceCache) {
    DatasetsArea datasets = new DatasetsArea(opened);
    return List.of(new WorkspaceArea(opened), new TracesArea(opened), datasets, new BeadsArea(beads),
        new JobsArea(opened, queue), new EvalArea(opened, queue),
        new PipelineArea(new Pipelines(opened, queue, beads, datasets)), new PairsArea(opened, queue),
        new ModelsArea(opened, beads, huggingFaceCache));
  }

  /**
   * Opens the workspace folders. The database opens on the first tool call that needs it, after the
   * {@code initialize} reply: loading SQLite at start-up would add a tenth of a second to every client start.
   */
  private Workspace openWorkspace() {
    return Workspace.open(workspace.directory(), allowDirs);
  }

  private int serveStdio(PrintStream protocolOut) throws Exception {
    Workspace opened = openWorkspace();
    RequestCancellations cancellations = new RequestCancellations();
    StdioGuard guard = new StdioGuard(System.in, protocolOut, new InboundMessageGuard(cancellations));
    McpJsonMapper mapper = McpJsonDefaults.getMapper();
    StdioServerTransportProvider transport =
        new StdioServerTransportProvider(mapper, guard.serverInput(), guard.serverOutput());
    McpSyncServer server = SuccessorServer.build(McpServer.sync(transport), mapper);
    guard.start(
        () -> SuccessorServer.register(server, mapper, areas(opened), PromptLibrary.bundled(), cancellations));
    LOG.info("serving MCP on stdio, workspace {}", opened.root());
    guard.awaitEndOfInput();
    LOG.info("stdin closed, shutting down");
    server.closeGracefully();
    return 0;
  }

  private int serveHttp() throws Exception {
    boolean hasToken = token != null && !token.isBlank();
    if (!isLoopback(host) && !hasToken) {
      throw new ParameterException(
          spec.commandLine(),
          "binding " + host + " exposes the server beyond this machine: give a bearer token with --token or"
              + " SUCCESSOR_TOKEN, or bind 127.0.0.1");
    }
    Workspace opened = openWorkspace();
    RequestCancellations cancellations = new RequestCancellations();
    McpJsonMapper mapper = McpJsonDefaults.getMapper();
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(mapper)
            .mcpEndpoint(HttpTransport.ENDPOINT)
            .build();
    McpSyncServer server = SuccessorServer.build(McpServer.sync(transport), mapper);
    SuccessorServer.register(server, mapper, areas(opened), PromptLibrary.bundled(), cancellations);
    HttpAccessPolicy policy = HttpAccessPolicy.forBinding(host, hasToken ? token : null, allowOrigins);
    try (HttpTransport http =
        HttpTransport.start(host, httpPort, transport, new HttpGuardFilter(policy, new InboundMessageGuard(cancellations)))) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::closeGracefully, "successor-shutdown"));
      // Tests and scripts read the actual port from this line when --http 0 was given.
      System.err.println("successor: serving MCP at http://" + host + ":" + http.port() + HttpTransport.ENDPOINT
          + ", workspace " + opened.root());
      http.join();
    }
    return 0;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
