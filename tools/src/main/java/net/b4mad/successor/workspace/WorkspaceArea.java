package net.b4mad.successor.workspace;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.Version;
import net.b4mad.successor.device.ComputeDevice;
import net.b4mad.successor.device.ComputeDevices;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolHints;

/** The workspace itself: where things are, how many of each, and what hardware a run would get. */
public final class WorkspaceArea implements ToolArea {

  public static final String INFO_URI = "successor://workspace/info";

  private static final String INFO_INPUT =
      """
      {
        "type": "object",
        "properties": {
          "probe_device": {
            "type": "boolean",
            "default": true,
            "description": "Load the PyTorch engine to report the device training would use. The first probe in a server process takes a few seconds; pass false for a quick answer without the device."
          }
        },
        "additionalProperties": false
      }
      """;

  private static final String INFO_OUTPUT =
      """
      {
        "type": "object",
        "properties": {
          "workspace": {"type": "string", "description": "Absolute path of the workspace directory."},
          "database": {"type": "string", "description": "Path of the SQLite store."},
          "schema_version": {"type": "integer"},
          "allowed_roots": {"type": "array", "items": {"type": "string"}, "description": "Directories that path arguments may point into."},
          "counts": {
            "type": "object",
            "properties": {
              "traces": {"type": "integer"}, "datasets": {"type": "integer"}, "runs": {"type": "integer"},
              "evals": {"type": "integer"}, "models": {"type": "integer"}
            },
            "required": ["traces", "datasets", "runs", "evals", "models"]
          },
          "device": {
            "type": ["object", "null"],
            "description": "The device DJL would train on; null when probe_device was false.",
            "properties": {
              "available": {"type": "boolean"}, "engine": {"type": "string"},
              "engine_version": {"type": ["string", "null"]}, "device": {"type": ["string", "null"]},
              "gpu_count": {"type": "integer"}, "error": {"type": ["string", "null"]}
            }
          },
          "disk": {
            "type": "object",
            "properties": {
              "free_bytes": {"type": "integer"}, "total_bytes": {"type": "integer"}, "free": {"type": "string"}
            }
          },
          "successor_version": {"type": "string"},
          "java_version": {"type": "string"}
        },
        "required": ["workspace", "database", "schema_version", "allowed_roots", "counts", "disk"]
      }
      """;

  private final Workspace workspace;

  public WorkspaceArea(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "workspace_info",
            "Workspace info",
            "Describe this Successor workspace: its directory and database, which directories path arguments"
                + " may point into, how many traces, dataset versions, training runs, evals and models it holds,"
                + " the device training would run on (GPU or CPU, from the PyTorch engine) and the free disk."
                + " Call it first in a session to orient yourself, or before a training run to check the device"
                + " and the space left. Read-only.",
            INFO_INPUT,
            INFO_OUTPUT,
            ToolHints.READ_ONLY,
            this::info));
  }

  @Override
  public List<SyncResourceSpecification> resources() {
    McpSchema.Resource resource =
        McpSchema.Resource.builder()
            .uri(INFO_URI)
            .name("workspace-info")
            .title("Workspace info")
            .description("The workspace_info report (without the device probe) as JSON.")
            .mimeType("application/json")
            .build();
    return List.of(
        new SyncResourceSpecification(
            resource,
            (exchange, request) ->
                new McpSchema.ReadResourceResult(
                    List.of(
                        new McpSchema.TextResourceContents(
                            INFO_URI, "application/json", Json.writePretty(describe(false)))))));
  }

  private WorkspaceInfo info(ToolCall call) {
    return describe(call.bool("probe_device", true));
  }

  public WorkspaceInfo describe(boolean probeDevice) {
    WorkspaceStore store = workspace.store();
    WorkspaceInfo.Counts counts =
        new WorkspaceInfo.Counts(
            store.count("traces"),
            store.count("dataset_versions"),
            store.count("runs"),
            store.count("evals"),
            store.count("models"));
    ComputeDevice device = probeDevice ? ComputeDevices.probe() : null;
    return new WorkspaceInfo(
        workspace.root().toString(),
        store.file().toString(),
        store.schemaVersion(),
        workspace.allowedRoots().roots().stream().map(Path::toString).toList(),
        counts,
        device,
        disk(workspace.root()),
        Version.current(),
        System.getProperty("java.version"));
  }

  private static WorkspaceInfo.Disk disk(Path root) {
    try {
      FileStore fileStore = Files.getFileStore(root);
      long free = fileStore.getUsableSpace();
      return new WorkspaceInfo.Disk(free, fileStore.getTotalSpace(), humanBytes(free));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + root, e);
    }
  }

  static String humanBytes(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
