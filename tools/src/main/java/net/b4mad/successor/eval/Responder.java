package net.b4mad.successor.eval;

import net.b4mad.successor.chat.Conversation;

/**
 * Whoever answers the cases: a model, a recorded output file, or a case's gold answer. The eval runner asks it
 * for one assistant turn at a time.
 */
@FunctionalInterface
public interface Responder {

  /**
   * The raw completion of the next assistant turn of CONVERSATION (its messages, tools and enable_thinking;
   * add_generation_prompt is set), in Qwen3's format: an optional {@code <think>...</think>} block, text, and
   * {@code <tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>} blocks. A trailing stop token is fine.
   */
  String respond(Conversation conversation);
}
