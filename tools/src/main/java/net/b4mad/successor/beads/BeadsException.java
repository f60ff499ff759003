package net.b4mad.successor.beads;

import net.b4mad.successor.mcp.ToolException;

/** A beads operation failed: bd refused or broke, an id is unknown, or the issue file cannot be written. */
public final class BeadsException extends ToolException {

  public BeadsException(String message) {
    super(message);
  }

  public BeadsException(String message, Throwable cause) {
    super(message, cause);
  }
}
