package net.b4mad.successor.mcp;

@FunctionalInterface
public interface ToolHandler {

  /**
   * @return the structured result: a record or a map matching the tool's output schema
   * @throws ToolException for failures the caller can fix; anything else is reported as an internal error
   */
  Object call(ToolCall call) throws Exception;
}
