package net.b4mad.successor.mcp;

/**
 * A failure the caller can act on: bad arguments, a missing file, a refused path. Its message is shown to the
 * agent as the tool's error, so it says what was wrong and how to fix it.
 */
public class ToolException extends RuntimeException {

  public ToolException(String message) {
    super(message);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
