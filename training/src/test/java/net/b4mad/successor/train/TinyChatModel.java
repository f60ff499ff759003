package net.b4mad.successor.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.SafetensorsWriter;

/** A random float32 Qwen3 small enough to train in a unit test, with the 8k-merge Qwen3 tokenizer. */
public final class TinyChatModel {

  private TinyChatModel() {}

  /**
   * Writes the model. Its final norm weight is 16 instead of 1: with N(0, 0.02) embeddings tied to the LM head,
   * a norm of 1 caps every logit near 1, and no adapter could then make any token likely.
   */
  public static Path write(Path dir) {
    TokenizerFiles tokenizer = TokenizerFiles.find(SharedFixtures.resolve("qwen3-tokenizer-8k"));
    Qwen3Config config = new Qwen3Config(tokenizer.vocabSize(), 64, 128, 2, 4, 2, 16, 1e-6, 1_000_000.0, true,
        4096, "float32", tokenizer.addedTokenId("<|endoftext|>"), List.of(tokenizer.addedTokenId("<|im_end|>")));
    RandomQwen3.write(dir, config, 7, tokenizer, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    for (SafetensorsWriter.Tensor tensor : RandomQwen3.tensors(config, 7)) {
      tensors.add(!tensor.name().equals("model.norm.weight") ? tensor
          : new SafetensorsWriter.Tensor(tensor.name(), tensor.dtype(), tensor.shape(),
              (start, chunk, count) -> java.util.Arrays.fill(chunk, 0, count, 16f)));
    }
    SafetensorsWriter.writeCheckpoint(dir, tensors, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    return dir;
  }

  /** {@code count} short tool-calling conversations in the dataset form, one per line. */
  public static Path examples(Path file, int count) {
    String[] cities = {"Berlin", "Paris", "Rome", "Oslo", "Madrid", "Vienna", "Prague", "Lisbon", "Dublin", "Athens"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String city = cities[i % cities.length];
      lines.add(Json.write(java.util.Map.of(
          "id", "ex" + i,
          "tools", List.of(java.util.Map.of("type", "function", "function", java.util.Map.of(
              "name", "get_weather", "description", "Weather of a city",
              "parameters", java.util.Map.of("type", "object",
                  "properties", java.util.Map.of("city", java.util.Map.of("type", "string")))))),
          "messages", List.of(
              java.util.Map.of("role", "user", "content", "What is the weather in " + city + "?"),
              java.util.Map.of("role", "assistant", "content", "", "tool_calls", List.of(java.util.Map.of(
                  "id", "c" + i, "type", "function",
                  "function", java.util.Map.of("name", "get_weather", "arguments", java.util.Map.of("city", city))))),
              java.util.Map.of("role", "tool", "tool_call_id", "c" + i, "content", "{\"temp\": " + (10 + i) + "}"),
              java.util.Map.of("role", "assistant", "content", "It is " + (10 + i) + " degrees in " + city + ".")))));
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
