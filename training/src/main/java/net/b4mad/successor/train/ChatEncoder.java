package net.b4mad.successor.train;

import java.util.List;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import net.b4mad.successor.chat.RenderedChat;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;

/**
 * Turns a conversation into what the model trains on: the exact Qwen3 prompt text, tokenised as a whole (so the
 * ids are those inference sees), with the loss on the tokens that start inside the assistant spans the template
 * reports: each assistant message through its {@code <|im_end|>}. Tool calls are part of the assistant's text, so
 * they are trained on; tool results and user turns are not.
 */
public final class ChatEncoder {

  private final Qwen3Tokenizer tokenizer;
  private final boolean allTokens;

  /** @param allTokens train on every token after the first instead of on assistant spans only */
  public ChatEncoder(Qwen3Tokenizer tokenizer, boolean allTokens) {
    this.tokenizer = tokenizer;
    this.allTokens = allTokens;
  }

  /** Every assistant message is a target (SFT). */
  public TrainingSequence encode(String id, Conversation conversation) {
    RenderedChat rendered = Qwen3ChatTemplate.render(conversation);
    return encode(id, rendered, allTokens ? null : rendered.assistantSpans());
  }

  /** Only the last assistant message is a target: the completion of a preference pair. */
  public TrainingSequence encodeCompletion(String id, Conversation conversation) {
    RenderedChat rendered = Qwen3ChatTemplate.render(conversation);
    List<RenderedChat.Span> spans = rendered.assistantSpans();
    if (spans.isEmpty()) {
      throw new IllegalArgumentException(id + ": the conversation has no assistant message to score");
    }
    return encode(id, rendered, List.of(spans.get(spans.size() - 1)));
  }

  private TrainingSequence encode(String id, RenderedChat rendered, List<RenderedChat.Span> spans) {
    Qwen3Tokenizer.Offsets offsets = tokenizer.encodeWithOffsets(rendered.text());
    int[] starts = offsets.starts();
    boolean[] trained = new boolean[starts.length];
    int span = 0;
    for (int t = 1; t < starts.length; t++) {
      if (spans == null) {
        trained[t] = true;
        continue;
      }
      while (span < spans.size() && spans.get(span).end() <= starts[t]) {
        span++;
      }
      trained[t] = span < spans.size() && starts[t] >= spans.get(span).start();
    }
    return new TrainingSequence(id, offsets.ids(), trained);
  }
}
