package net.b4mad.successor.mcp;

/** Set when the client cancels a request; long tool calls poll it between steps. */
public final class CancellationToken {

  private volatile boolean cancelled;

  public void cancel() {
    cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  public void throwIfCancelled() {
    if (cancelled) {
      throw new ToolCancelledException();
    }
  }
}
