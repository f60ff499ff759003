package net.b4mad.successor.qwen3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A Hugging Face tokenizer on disk: {@code tokenizer.json} and, when it lies beside it, {@code
 * tokenizer_config.json} (null otherwise). {@code vocabSize} is one past the highest token id, the smallest
 * embedding table that covers every token; {@code addedTokens} maps special tokens to their ids.
 */
public record TokenizerFiles(Path tokenizerJson, Path tokenizerConfig, int vocabSize, Map<String, Integer> addedTokens) {

  public static final String TOKENIZER_JSON = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

  public TokenizerFiles {
    addedTokens = Collections.unmodifiableMap(new LinkedHashMap<>(addedTokens));
  }

  /** {@code path} is a {@code tokenizer.json} file or a directory holding one. */
  public static TokenizerFiles find(Path path) {
    Path json = Files.isDirectory(path) ? path.resolve(TOKENIZER_JSON) : path;
    if (!Files.isRegularFile(json)) {
      throw new IllegalArgumentException("no tokenizer at " + json);
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(Files.readString(json));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + json + ": " + e, e);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(json + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    int size = 0;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      // BPE and WordPiece: token -> id
      for (JsonNode id : vocab) {
        size = Math.max(size, id.asInt() + 1);
      }
    } else if (vocab.isArray()) {
      // Unigram: [piece, score] in id order
      size = vocab.size();
    } else {
      throw new IllegalArgumentException(json + " has no model.vocab; is it a Hugging Face tokenizer.json?");
    }
    Map<String, Integer> added = new LinkedHashMap<>();
    for (JsonNode token : root.path("added_tokens")) {
      int id = token.path("id").asInt();
      added.put(token.path("content").asString(), id);
      size = Math.max(size, id + 1);
    }
    Path config = json.resolveSibling(TOKENIZER_CONFIG);
    return new TokenizerFiles(json, Files.isRegularFile(config) ? config : null, size, added);
  }

  /** The id of an added (special) token, or null. */
  public Integer addedTokenId(String content) {
    return addedTokens.get(content);
  }
}
