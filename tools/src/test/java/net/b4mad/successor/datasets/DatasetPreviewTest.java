package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.b4mad.successor.chat.RenderedChat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatasetPreviewTest {

  static TokenCounter tokens;

  @BeforeAll
  static void load() {
    tokens = TokenCounter.bundled();
  }

  @AfterAll
  static void close() {
    tokens.close();
  }

  @Test
  void marksExactlyTheAssistantSpans() {
    DatasetExample example = DatasetValidatorTest.example("[" + DatasetValidatorTest.USER + ", " + DatasetValidatorTest.CALL
        + ", " + DatasetValidatorTest.RESULT + ", " + DatasetValidatorTest.ANSWER + "]");
    RenderedChat rendered = example.render();
    DatasetPreview preview = DatasetPreview.of("d@v", "train", 0, example, tokens);

    assertEquals(example.id(), preview.id());
    assertEquals(2, preview.spans().size());
    // Removing the markers gives back the rendering; each marked region is one assistant span.
    assertEquals(rendered.text(), preview.markedText().replace(DatasetPreview.START, "").replace(DatasetPreview.END, ""));
    List<String> marked = between(preview.markedText());
    assertEquals(rendered.assistantSpans().stream().map(span -> span.of(rendered.text())).toList(), marked);
    assertTrue(marked.get(0).startsWith("<tool_call>\n{\"name\": \"read_file\""), marked.get(0));
    assertTrue(marked.get(0).endsWith("</tool_call><|im_end|>"));
    assertTrue(marked.get(1).endsWith("It says hello.<|im_end|>"), marked.get(1));
    // Prompt text, tool results and the turn headers are context, not trained.
    String outside = preview.markedText().replaceAll("⟦[^⟧]*⟧", "");
    assertTrue(outside.contains("<|im_start|>user\nread a.md<|im_end|>"));
    assertTrue(outside.contains("<tool_response>\nhello\n</tool_response>"));
    assertTrue(outside.endsWith("<|im_start|>assistant\n\n"), "only the newline after <|im_end|> follows the last span");

    assertEquals(preview.spans().get(0).start(), rendered.assistantSpans().get(0).start());
    assertEquals(tokens.count(rendered.text()), preview.tokens());
    assertEquals(preview.spans().stream().mapToInt(DatasetPreview.TrainedSpan::tokens).sum(), preview.trainedTokens());
    assertTrue(preview.trainedTokens() < preview.tokens());
  }

  private static List<String> between(String marked) {
    List<String> parts = new java.util.ArrayList<>();
    int at = 0;
    while ((at = marked.indexOf(DatasetPreview.START, at)) >= 0) {
      int end = marked.indexOf(DatasetPreview.END, at);
      parts.add(marked.substring(at + 1, end));
      at = end;
    }
    return parts;
  }
}
