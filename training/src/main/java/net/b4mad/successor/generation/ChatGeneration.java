package net.b4mad.successor.generation;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;

/**
 * The next assistant turn of a conversation: the Qwen3 prompt with the generation prompt appended, generated
 * until a stop token (the config's and generation_config's eos ids, {@code <|im_end|>}, {@code <|endoftext|>}),
 * decoded with special tokens kept so that {@code <tool_call>} blocks survive for the parser.
 */
public final class ChatGeneration {

  /** The raw completion and how it ended. */
  public record Completion(String text, String stopReason, int promptTokens, int completionTokens, double seconds) {}

  private final Qwen3Model model;
  private final Qwen3Tokenizer tokenizer;
  private final Set<Integer> stopIds = new LinkedHashSet<>();
  private final GenerationConfig defaults;

  public ChatGeneration(Qwen3Model model, Qwen3Tokenizer tokenizer, Path modelDir) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.defaults = GenerationConfig.read(modelDir);
    stopIds.addAll(model.config().eosTokenIds());
    stopIds.addAll(defaults.eosTokenIds());
    stopIds.add(tokenizer.tokenId("<|im_end|>"));
    stopIds.add(tokenizer.tokenId("<|endoftext|>"));
  }

  /** The model's own sampling defaults (generation_config.json), for settings the caller leaves open. */
  public GenerationConfig defaults() {
    return defaults;
  }

  /** @param useCache decode with the KV cache (false only to compare against full recomputation) */
  public Completion complete(
      Conversation conversation, SamplingSettings settings, boolean useCache, BooleanSupplier cancelled) {
    Conversation prompted =
        new Conversation(conversation.messages(), conversation.tools(), true, conversation.enableThinking());
    int[] prompt = tokenizer.encode(Qwen3ChatTemplate.render(prompted).text());
    long start = System.nanoTime();
    Generation generation = new Generator(model).generate(prompt, settings, stopIds, useCache, cancelled);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Completion(tokenizer.decode(generation.tokens()), generation.stopReason(), generation.promptTokens(),
        generation.tokens().length, seconds);
  }
}
