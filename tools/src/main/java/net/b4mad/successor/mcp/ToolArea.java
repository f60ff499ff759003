package net.b4mad.successor.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import java.util.List;

/** One area of the domain (workspace, traces, datasets, ...) and the tools and resources it serves. */
public interface ToolArea {

  List<ToolDefinition> tools();

  default List<SyncResourceSpecification> resources() {
    return List.of();
  }

  default List<SyncResourceTemplateSpecification> resourceTemplates() {
    return List.of();
  }
}
