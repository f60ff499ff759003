package net.b4mad.successor.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.qwen3.Qwen3Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  static Qwen3Model model;
  static final int[] PROMPT = {3, 17, 256, 999, 42};

  @BeforeAll
  static void load() {
    model = Qwen3Model.load(SharedFixtures.resolve("qwen3-tiny/untied-f32"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void cachedDecodingGivesTheSameTokensAsRecomputingThePrefix() {
    Generator generator = new Generator(model);
    for (SamplingSettings settings :
        new SamplingSettings[] {SamplingSettings.greedy(24), new SamplingSettings(1.0, 0.9, 50, 7, 24)}) {
      Generation cached = generator.generate(PROMPT, settings, Set.of(), true, () -> false);
      Generation recomputed = generator.generate(PROMPT, settings, Set.of(), false, () -> false);
      assertEquals(24, cached.tokens().length);
      assertArrayEquals(recomputed.tokens(), cached.tokens(), settings.toString());
      assertEquals("max_new_tokens", cached.stopReason());
    }
  }

  @Test
  void aStopTokenEndsGenerationAndIsIncluded() {
    Generator generator = new Generator(model);
    int[] free = generator.generate(PROMPT, SamplingSettings.greedy(10), Set.of(), true, () -> false).tokens();
    Generation stopped = generator.generate(PROMPT, SamplingSettings.greedy(10), Set.of(free[3]), true, () -> false);
    assertEquals("stop_token", stopped.stopReason());
    assertEquals(free[3], stopped.tokens()[stopped.tokens().length - 1]);
    assertEquals(5, stopped.promptTokens());
  }

  @Test
  void theSameSeedSamplesTheSameTokens() {
    Generator generator = new Generator(model);
    SamplingSettings settings = new SamplingSettings(0.8, 0.95, 20, 42, 16);
    assertArrayEquals(
        generator.generate(PROMPT, settings, Set.of(), true, () -> false).tokens(),
        generator.generate(PROMPT, settings, Set.of(), true, () -> false).tokens());
  }

  @Test
  void cancellationStopsBetweenTokens() {
    Generation none = new Generator(model).generate(PROMPT, SamplingSettings.greedy(50), Set.of(), true, () -> true);
    assertEquals(0, none.tokens().length);
    assertEquals("cancelled", none.stopReason());
  }

  @Test
  void samplerRespectsTopKAndTopP() {
    float[] logits = {0f, 5f, 4.9f, -3f};
    assertEquals(1, new TokenSampler(SamplingSettings.greedy(1)).next(logits));
    TokenSampler topOne = new TokenSampler(new SamplingSettings(1.0, 1.0, 1, 3, 1));
    TokenSampler tinyNucleus = new TokenSampler(new SamplingSettings(1.0, 0.01, 0, 3, 1));
    for (int i = 0; i < 50; i++) {
      assertEquals(1, topOne.next(logits));
      assertEquals(1, tinyNucleus.next(logits));
    }
    assertThrows(IllegalArgumentException.class, () -> new SamplingSettings(-1, 1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SamplingSettings(1, 0, 0, 0, 1));
  }
}
