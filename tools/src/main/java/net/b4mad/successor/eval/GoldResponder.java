package net.b4mad.successor.eval;

import java.util.List;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import net.b4mad.successor.chat.RenderedChat;
import net.b4mad.successor.chat.ToolCallParser;

/**
 * Answers a case with its {@code gold} messages, rendered to the raw text a Qwen3 model would have written for
 * them, so that a suite's reference answers go through the same parser and checks as a model's.
 */
public final class GoldResponder {

  private GoldResponder() {}

  /** Answers turn k of EVAL_CASE with its k-th gold message, and with no call once they are used up. */
  public static Responder of(EvalCase evalCase) {
    if (evalCase.gold().isEmpty()) {
      throw new IllegalArgumentException("case " + evalCase.id() + " has no gold answer");
    }
    return conversation -> {
      int turn = evalCase.turnOf(conversation);
      return turn < evalCase.gold().size() ? render(evalCase.gold().get(turn)) : "";
    };
  }

  /** The assistant message as the chat template writes it, without its stop token. */
  public static String render(ChatMessage message) {
    RenderedChat rendered = Qwen3ChatTemplate.render(new Conversation(List.of(message), List.of(), false, false));
    String text = rendered.assistantSpans().get(0).of(rendered.text());
    return ToolCallParser.withoutStopToken(text);
  }
}
