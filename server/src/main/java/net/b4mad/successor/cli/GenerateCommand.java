package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.ParsedCompletion;
import net.b4mad.successor.chat.ToolCallParser;
import net.b4mad.successor.generation.ChatGeneration;
import net.b4mad.successor.generation.GenerationConfig;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraAdapter;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code successor generate}: the model's next assistant turn for a conversation, with its tool calls parsed. */
@Command(
    name = "generate",
    description = {
      "Generate the next assistant turn for a conversation file (messages, tools, enable_thinking) and print",
      "the completion, its reasoning, text and parsed tool calls as JSON."
    })
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory with tokenizer.json.")
  Path model;

  @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT LoRA adapter directory to apply.")
  Path adapter;

  @Option(names = "--chat", required = true, paramLabel = "FILE", description = "Conversation JSON file.")
  Path chat;

  @Option(names = "--max-new-tokens", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens;

  @Option(
      names = "--temperature",
      description = "0 is greedy (default: the model's generation_config.json, else greedy).")
  Double temperature;

  @Option(names = "--top-p", description = "Nucleus cut (default: generation_config.json, else 1.0).")
  Double topP;

  @Option(names = "--top-k", description = "Top-k cut, 0 for none (default: generation_config.json, else 0).")
  Integer topK;

  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-cache", description = "Recompute the whole prefix for every token (slow; for comparison).")
  boolean noCache;

  @Override
  public Integer call() {
    GenerationConfig defaults = GenerationConfig.read(model);
    SamplingSettings settings =
        new SamplingSettings(
            temperature != null ? temperature : defaults.temperature(),
            topP != null ? topP : defaults.topP(),
            topK != null ? topK : defaults.topK(),
            seed,
            maxNewTokens);
    Conversation read = Conversation.read(chat);
    try (Qwen3Tokenizer tokenizer = Qwen3Tokenizer.load(model);
        Qwen3Model loaded = LoraAdapter.loadModel(model, adapter)) {
      ChatGeneration.Completion generation =
          new ChatGeneration(loaded, tokenizer, model).complete(read, settings, !noCache, () -> false);
      String completion = generation.text();
      ParsedCompletion parsed = ToolCallParser.parse(completion);

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("completion", completion);
      result.put("reasoning", parsed.reasoning());
      result.put("content", parsed.content());
      result.put(
          "tool_calls",
          parsed.toolCalls().stream().map(c -> Map.of("name", c.name(), "arguments", c.arguments())).toList());
      result.put("parse_errors", parsed.errors());
      result.put("stop_reason", generation.stopReason());
      result.put("prompt_tokens", generation.promptTokens());
      result.put("completion_tokens", generation.completionTokens());
      result.put("tokens_per_second", generation.completionTokens() / generation.seconds());
      System.out.println(Json.writePretty(result));
    }
    return 0;
  }
}
