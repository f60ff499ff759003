package net.b4mad.successor.chat;

import java.util.List;

/**
 * A rendered prompt and, for training, the parts of it that the model itself would have written: one span per
 * assistant message, so the loss can be masked to them.
 */
public record RenderedChat(String text, List<Span> assistantSpans) {

  public RenderedChat {
    assistantSpans = List.copyOf(assistantSpans);
  }

  /** Characters {@code [start, end)} of the rendered text. */
  public record Span(int start, int end) {

    public Span {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
      }
    }

    public int length() {
      return end - start;
    }

    public String of(String text) {
      return text.substring(start, end);
    }
  }
}
