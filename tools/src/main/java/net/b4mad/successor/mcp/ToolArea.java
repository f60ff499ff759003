package net.b4mad.successor.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.function.Function;

/** One area of the domain (workspace, traces, datasets, ...) and the tools and resources it serves. */
public interface ToolArea {

  List<ToolDefinition> tools();

  default List<SyncResourceSpecification> resources() {
    return List.of();
  }

  default List<SyncResourceTemplateSpecification> resourceTemplates() {
    return List.of();
  }

  /** A resource template whose reads go to {@code read} with the requested URI. */
  static SyncResourceTemplateSpecification template(String uriTemplate, String name, String title,
      String description, String mimeType, Function<String, McpSchema.ReadResourceResult> read) {
    McpSchema.ResourceTemplate template = McpSchema.ResourceTemplate.builder()
        .uriTemplate(uriTemplate).name(name).title(title).description(description).mimeType(mimeType).build();
    return new SyncResourceTemplateSpecification(template, (exchange, request) -> read.apply(request.uri()));
  }
}
