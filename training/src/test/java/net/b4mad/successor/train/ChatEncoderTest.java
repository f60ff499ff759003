package net.b4mad.successor.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import net.b4mad.successor.chat.RenderedChat;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatEncoderTest {

  static Qwen3Tokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = Qwen3Tokenizer.load(SharedFixtures.resolve("qwen3-tokenizer"));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  private static Conversation conversation() {
    return Conversation.parse(Json.MAPPER.readTree("""
        {"tools": [{"type": "function", "function": {"name": "bd_create", "parameters": {"type": "object"}}}],
         "messages": [
          {"role": "system", "content": "You are Brenner. Ünïcödé 😀 too."},
          {"role": "user", "content": "File a bead for the flaky CI job 🚨"},
          {"role": "assistant", "content": "", "tool_calls": [{"id": "1", "type": "function",
            "function": {"name": "bd_create", "arguments": {"title": "Flaky CI 😀", "priority": 1}}}]},
          {"role": "tool", "tool_call_id": "1", "content": "{\\"id\\": \\"b4m-x1\\"}"},
          {"role": "assistant", "content": "Filed b4m-x1 ✅."}]}
        """));
  }

  /** The loss sees exactly the assistant turns (tool calls and <|im_end|> included) and nothing else. */
  @Test
  void trainedTokensAreExactlyTheAssistantSpans() {
    Conversation conversation = conversation();
    RenderedChat rendered = Qwen3ChatTemplate.render(conversation);
    TrainingSequence sequence = new ChatEncoder(tokenizer, false).encode("x", conversation);

    assertEquals(List.of(tokenizer.encode(rendered.text())).get(0).length, sequence.length());
    List<String> trainedRuns = new ArrayList<>();
    List<Integer> run = new ArrayList<>();
    for (int t = 0; t <= sequence.length(); t++) {
      if (t < sequence.length() && sequence.trained()[t]) {
        run.add(sequence.tokens()[t]);
      } else if (!run.isEmpty()) {
        trainedRuns.add(tokenizer.decode(run.stream().mapToInt(Integer::intValue).toArray()));
        run.clear();
      }
    }
    List<String> spans = rendered.assistantSpans().stream().map(span -> span.of(rendered.text())).toList();
    assertEquals(spans, trainedRuns);
    assertTrue(trainedRuns.get(0).contains("<tool_call>") && trainedRuns.get(0).contains("bd_create"));
    assertTrue(trainedRuns.get(1).endsWith("✅.<|im_end|>"));
  }

  @Test
  void trainingOnAllTokensMarksEveryTokenButTheFirst() {
    TrainingSequence sequence = new ChatEncoder(tokenizer, true).encode("x", conversation());
    assertFalse(sequence.trained()[0]);
    assertEquals(sequence.length() - 1, sequence.trainedCount());
  }

  @Test
  void aCompletionTrainsOnlyTheLastAssistantMessage() {
    Conversation conversation = conversation();
    RenderedChat rendered = Qwen3ChatTemplate.render(conversation);
    TrainingSequence sequence = new ChatEncoder(tokenizer, false).encodeCompletion("x", conversation);
    int[] trained = java.util.stream.IntStream.range(0, sequence.length())
        .filter(t -> sequence.trained()[t]).map(t -> sequence.tokens()[t]).toArray();
    assertEquals(rendered.assistantSpans().get(1).of(rendered.text()), tokenizer.decode(trained));
  }
}
