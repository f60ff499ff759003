package net.b4mad.successor.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import net.b4mad.successor.Version;
import net.b4mad.successor.mcp.RequestCancellations;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolSpecifications;

/** Assembles the MCP server: the areas' tools and resources, the prompt library, capabilities, instructions. */
public final class SuccessorServer {

  public static final String NAME = "successor";

  static final String INSTRUCTIONS =
      """
      Successor lets you fine-tune your own successor model from your interaction traces: collect and scrub \
      traces, curate datasets, train LoRA/QLoRA adapters on Qwen3 as background jobs tracked by beads, evaluate \
      them, and promote a model only when it wins. Call workspace_info first to see what the workspace holds. \
      Paths in arguments must lie inside the workspace or a directory the user allowed with --allow-dir.""";

  private SuccessorServer() {}

  /**
   * Builds the server with what the {@code initialize} reply needs: name, version, instructions, capabilities.
   * Its tools, resources and prompts come with {@link #register}.
   *
   * @param spec {@code McpServer.sync(transportProvider)} for stdio or streamable HTTP
   */
  public static McpSyncServer build(McpServer.SyncSpecification<?> spec, McpJsonMapper mapper) {
    return spec.serverInfo(NAME, Version.current())
        .instructions(INSTRUCTIONS)
        .jsonMapper(mapper)
        .jsonSchemaValidator(new DeferredSchemaValidator())
        // Long work runs as jobs; a tool call that takes longer than this is a bug, not a training run.
        .requestTimeout(Duration.ofMinutes(10))
        .capabilities(
            McpSchema.ServerCapabilities.builder()
                .tools(false)
                .prompts(false)
                .resources(false, false)
                .logging()
                .build())
        .build();
  }

  /**
   * Adds the areas' tools and resources and the prompts. Apart from {@link #build} so that a stdio client need
   * not wait for it before its {@code initialize} reply: the areas' classes, every tool's parsed JSON schemas and
   * the prompt files are some 270 more classes to load and a sixth of the time to that reply.
   */
  public static void register(
      McpSyncServer server,
      McpJsonMapper mapper,
      List<ToolArea> areas,
      PromptLibrary prompts,
      RequestCancellations cancellations) {
    ToolSpecifications specifications = new ToolSpecifications(mapper, cancellations);
    for (ToolArea area : areas) {
      area.tools().forEach(tool -> server.addTool(specifications.toSpecification(tool)));
      area.resources().forEach(server::addResource);
      area.resourceTemplates().forEach(server::addResourceTemplate);
    }
    prompts.specifications().forEach(server::addPrompt);
  }
}
