package net.b4mad.successor.datasets;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.RenderedChat;

/**
 * An example as the model will see it: the exact Qwen3 rendering, with each trained span (the assistant
 * messages, whose tokens carry the loss) wrapped in {@value #START} and {@value #END}. Everything outside the
 * markers is context the model reads but is not trained to produce.
 *
 * @param markedText the rendering with the markers inserted
 * @param spans the trained spans as character offsets into the rendering without markers (exact even if the
 *     text itself contains the marker characters)
 * @param tokens tokens of the whole rendering
 * @param trainedTokens tokens of the spans, each encoded alone
 */
public record DatasetPreview(
    String dataset,
    String split,
    int index,
    String id,
    String markedText,
    List<TrainedSpan> spans,
    int characters,
    int tokens,
    int trainedTokens,
    String tokenizer,
    String startMarker,
    String endMarker) {

  public static final String START = "⟦";
  public static final String END = "⟧";

  /** Characters {@code [start, end)} of the rendering, and their tokens. */
  public record TrainedSpan(int start, int end, int tokens) {}

  public static DatasetPreview of(String dataset, String split, int index, DatasetExample example, TokenCounter counter) {
    RenderedChat rendered;
    try {
      rendered = example.render();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "example " + example.id() + " cannot be rendered: " + e.getMessage() + ". dataset_validate lists what to fix.");
    }
    String text = rendered.text();
    StringBuilder marked = new StringBuilder(text.length() + 2 * rendered.assistantSpans().size());
    List<TrainedSpan> spans = new ArrayList<>();
    int trained = 0;
    int at = 0;
    for (RenderedChat.Span span : rendered.assistantSpans()) {
      int spanTokens = counter.count(span.of(text));
      trained += spanTokens;
      spans.add(new TrainedSpan(span.start(), span.end(), spanTokens));
      marked.append(text, at, span.start()).append(START).append(text, span.start(), span.end()).append(END);
      at = span.end();
    }
    marked.append(text, at, text.length());
    return new DatasetPreview(dataset, split, index, example.id(), marked.toString(), spans, text.length(),
        counter.count(text), trained, counter.info().name(), START, END);
  }
}
