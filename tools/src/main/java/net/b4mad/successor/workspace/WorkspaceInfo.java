package net.b4mad.successor.workspace;

import java.util.List;
import net.b4mad.successor.device.ComputeDevice;

/** What {@code workspace_info} reports. */
public record WorkspaceInfo(
    String workspace,
    String database,
    int schemaVersion,
    List<String> allowedRoots,
    Counts counts,
    ComputeDevice device,
    Disk disk,
    String successorVersion,
    String javaVersion) {

  public record Counts(long traces, long datasets, long runs, long evals, long models) {}

  public record Disk(long freeBytes, long totalBytes, String free) {}
}
