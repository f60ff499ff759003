package net.b4mad.successor.mcp;

/** MCP tool annotations: what a client may assume about a tool before calling it. */
public record ToolHints(boolean readOnly, boolean destructive, boolean idempotent) {

  public static final ToolHints READ_ONLY = new ToolHints(true, false, true);
}
