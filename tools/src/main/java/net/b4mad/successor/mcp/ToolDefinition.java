package net.b4mad.successor.mcp;

/**
 * One MCP tool as an area declares it. Schemas are JSON Schema text; the handler returns a record or map that
 * becomes the structured content and must match {@code outputSchema}.
 */
public record ToolDefinition(
    String name,
    String title,
    String description,
    String inputSchema,
    String outputSchema,
    ToolHints hints,
    ToolHandler handler) {}
