package net.b4mad.successor.mcp;

/** Unwinds a tool call that the client cancelled. */
public final class ToolCancelledException extends RuntimeException {

  public ToolCancelledException() {
    super("the client cancelled this request", null, false, false);
  }
}
