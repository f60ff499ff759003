package net.b4mad.successor.pairs;

import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.ParsedCompletion;
import net.b4mad.successor.chat.ToolCallParser;
import net.b4mad.successor.eval.CaseResult;

/**
 * One answer to a prompt, as the eval checker judged it: a sample ({@code index} 0 to N-1) or the prompt's gold
 * answer ({@link #GOLD}).
 *
 * @param text the raw completion, as the model writes it
 */
public record Candidate(int index, String text, CaseResult result) {

  public static final int GOLD = -1;

  /**
   * 1 for an answer that passes. One that fails earns a quarter for each of: every {@code <tool_call>} block is
   * valid JSON, the right functions are called (or none, where none is wanted), the arguments pass; so it stays
   * below 1, and among failures a well-formed call of the right tool ranks above a wrong tool, and that above
   * broken JSON.
   */
  public double score() {
    if (result.passed()) {
      return 1.0;
    }
    return ((result.jsonValid() ? 1 : 0) + (result.toolSelection() ? 1 : 0) + (result.arguments() ? 1 : 0)) / 4.0;
  }

  public boolean gold() {
    return index == GOLD;
  }

  /**
   * The answer as an assistant message with its parsed tool calls, the form DPO renders back into the completion
   * it scores. An answer with a block the parser could not read is kept as its raw text instead: the parser
   * drops such a block, and the rejected answer must be what the model wrote.
   */
  public ChatMessage answer() {
    ParsedCompletion parsed = ToolCallParser.parse(text);
    if (parsed.hasErrors()) {
      return new ChatMessage(ChatMessage.ASSISTANT, ToolCallParser.withoutStopToken(text), null, List.of());
    }
    return new ChatMessage(ChatMessage.ASSISTANT, parsed.content(),
        parsed.reasoning().isEmpty() ? null : parsed.reasoning(), parsed.toolCalls());
  }
}
