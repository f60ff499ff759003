package net.b4mad.successor.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.b4mad.successor.fixtures.SharedFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Qwen3TokenizerTest {

  static Qwen3Tokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = Qwen3Tokenizer.load(SharedFixtures.resolve("qwen3-tokenizer"));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** llama.cpp's Qwen2 vocabulary test: inputs separated by marker lines, one line of ids per input. */
  @Test
  void reproducesTheReferenceTestVectors() throws Exception {
    Path dir = SharedFixtures.resolve("qwen3-tokenizer");
    String inputs = Files.readString(dir.resolve("test-vectors.inp"), StandardCharsets.UTF_8);
    List<String> texts = Arrays.asList(inputs.split("\n__ggml_vocab_test__\n", -1));
    List<String> expected = Files.readAllLines(dir.resolve("test-vectors.out"), StandardCharsets.UTF_8);
    if (texts.get(texts.size() - 1).isEmpty()) {
      texts = texts.subList(0, texts.size() - 1);
    }
    assertEquals(46, texts.size());
    assertEquals(texts.size(), expected.size());
    for (int i = 0; i < texts.size(); i++) {
      String line = expected.get(i).strip();
      int[] want = line.isEmpty() ? new int[0] : Arrays.stream(line.split("\\s+")).mapToInt(Integer::parseInt).toArray();
      assertArrayEquals(want, tokenizer.encode(texts.get(i)), "input " + i + ": '" + texts.get(i) + "'");
    }
  }

  @Test
  void specialTokensAreSingleIdsAndNothingIsAdded() {
    assertEquals(151644, tokenizer.tokenId("<|im_start|>"));
    assertEquals(151645, tokenizer.tokenId("<|im_end|>"));
    assertEquals(151657, tokenizer.tokenId("<tool_call>"));
    int[] ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>");
    assertEquals(151644, ids[0]);
    assertEquals(151645, ids[ids.length - 1]);
    assertEquals("<|im_start|>user\nhi<|im_end|>", tokenizer.decode(ids));
  }

  @Test
  void longInputsAreNotTruncated() {
    String text = "word ".repeat(3000);
    int[] ids = tokenizer.encode(text);
    assertEquals(text, tokenizer.decode(ids));
    assertEquals(true, ids.length > 2000, "got " + ids.length + " ids");
  }

  @Test
  void aMissingTokenizerIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Qwen3Tokenizer.load(Path.of("/nonexistent")));
    assertEquals("no tokenizer.json at /nonexistent", e.getMessage());
  }

  @Test
  void countsAsManyTokensAsItEncodes() throws Exception {
    String inputs = Files.readString(SharedFixtures.resolve("qwen3-tokenizer/test-vectors.inp"), StandardCharsets.UTF_8);
    for (String text : inputs.split("\n__ggml_vocab_test__\n", -1)) {
      assertEquals(tokenizer.encode(text).length, tokenizer.count(text), text);
    }
    assertEquals(3, tokenizer.count("<|im_start|>user\n"));
  }
}
