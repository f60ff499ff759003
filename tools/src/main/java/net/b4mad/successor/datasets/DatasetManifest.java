package net.b4mad.successor.datasets;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a dataset version: where every example came from, how it was filtered, split and
 * deduplicated, what was left out and why, and the statistics, so a version can be understood and rebuilt
 * without the workspace database.
 *
 * @param recipe the build parameters that, with the two files' contents, make up the version's hash
 * @param scrubCounts scrubber placeholders ({@code [REDACTED_<KIND>]}) found in the examples, by kind
 * @param tokensBySplit token statistics of train and eval separately
 */
public record DatasetManifest(
    String name,
    String version,
    String ref,
    String createdAt,
    String contentHash,
    Format format,
    ChatTemplate chatTemplate,
    TokenCounter.TokenizerInfo tokenizer,
    Map<String, Object> recipe,
    Sources sources,
    Counts counts,
    Split split,
    Dedupe dedupe,
    Validation validation,
    Map<String, Integer> scrubCounts,
    DatasetStats stats,
    Map<String, DatasetStats.TokenStats> tokensBySplit) {

  public static final Format FORMAT =
      new Format(
          "openai-chat-tools-jsonl",
          Map.of("train", "train.jsonl", "eval", "eval.jsonl"),
          "One JSON object per line: {\"id\", \"messages\", \"tools\"} in the OpenAI chat form with tool calls"
              + " ({\"type\": \"function\", \"function\": {\"name\", \"arguments\": {...}}}) and role 'tool' results."
              + " TRL's SFTTrainer reads it as a conversational dataset with tools (load_dataset('json',"
              + " data_files=...)); Axolotl reads it with type: chat_template, field_messages: messages.");

  public static final ChatTemplate QWEN3 =
      new ChatTemplate(
          "qwen3",
          "the chat_template of Qwen3's tokenizer_config.json, rendered by Successor's Qwen3ChatTemplate",
          "each assistant message from after '<|im_start|>assistant\\n' through its '<|im_end|>'");

  /** How the files are laid out and who reads them. */
  public record Format(String type, Map<String, String> files, String description) {}

  /** The template the token counts and the trained spans refer to. */
  public record ChatTemplate(String name, String source, String trainedSpans) {}

  /**
   * @param base the version this one extends ({@code dataset_add_examples}); null for a build
   */
  public record Sources(List<String> traceIds, List<FileSource> gold, List<FileSource> mixIn, String base) {}

  /**
   * @param available readable, valid examples in the file
   * @param used examples taken into the dataset (after sampling and deduplication)
   */
  public record FileSource(String path, String sha256, Boolean eval, Double ratio, int available, int used) {}

  public record Counts(
      int train, int eval, int fromTraces, int gold, int mixIn, int added, int invalidExcluded, int invalidKept,
      int duplicatesRemoved) {}

  /**
   * @param method {@code fraction}, {@code held_out}, or {@code inherited} (a version made by adding examples)
   */
  public record Split(
      String method, double evalFraction, String groupBy, long seed, Object heldOut, int trainGroups, int evalGroups) {}

  public record Dedupe(
      boolean enabled, Double nearThreshold, int permutations, int shingleWords, int bands, int rows, int exact,
      int near, List<DuplicateRemoval> removed) {}

  /** @param problems the problems of the examples that were left out (or kept, with on_invalid: keep) */
  public record Validation(
      int maxTokens, String onInvalid, Map<String, Integer> problemsByKind, List<ValidationProblem> problems) {}
}
