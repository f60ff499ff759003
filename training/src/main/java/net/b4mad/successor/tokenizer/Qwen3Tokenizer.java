package net.b4mad.successor.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.b4mad.successor.device.ComputeDevices;

/**
 * The model's own {@code tokenizer.json} through DJL's Hugging Face tokenizers, with truncation and padding
 * off (DJL's defaults silently cut inputs at 512 tokens) and no special tokens added: the chat template
 * already writes them, and special tokens in the text are recognised as single ids.
 */
public final class Qwen3Tokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;

  private Qwen3Tokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** @param path a {@code tokenizer.json} file, or a model directory that holds one */
  public static Qwen3Tokenizer load(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no tokenizer.json at " + file);
    }
    ComputeDevices.forceOffline();
    try {
      return new Qwen3Tokenizer(
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(file)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  public int[] encode(String text) {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    int[] result = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      result[i] = Math.toIntExact(ids[i]);
    }
    return result;
  }

  /** Token ids with the index in the text (a Java char index) where each token starts. */
  public record Offsets(int[] ids, int[] starts) {}

  /** Ids and where each token starts in {@code text}, to tell which tokens fall in a span of the text. */
  public Offsets encodeWithOffsets(String text) {
    Encoding encoding = tokenizer.encode(text);
    long[] ids = encoding.getIds();
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] result = new int[ids.length];
    int[] starts = new int[ids.length];
    // The tokenizer counts code points; Java indexes UTF-16 chars, which differ past any character outside the BMP.
    int codePoint = 0;
    int index = 0;
    for (int i = 0; i < ids.length; i++) {
      result[i] = Math.toIntExact(ids[i]);
      int start = spans[i] == null ? codePoint : spans[i].getStart();
      index = text.offsetByCodePoints(index, start - codePoint);
      codePoint = start;
      starts[i] = index;
    }
    return new Offsets(result, starts);
  }

  /**
   * The number of tokens {@link #encode} would return, at less than half its cost: DJL's {@code Encoding} copies
   * every token's string, offsets and masks out of the native library, which takes longer than tokenizing.
   */
  public int count(String text) {
    long encoding = TokenizersLibrary.LIB.encode(tokenizer.getHandle(), text, false);
    try {
      return TokenizersLibrary.LIB.getTokenIds(encoding).length;
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /** Decodes ids to text, special tokens included. */
  public String decode(int[] ids) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, false);
  }

  /** The id of a token such as {@code <|im_end|>}, which must encode to exactly one id. */
  public int tokenId(String token) {
    int[] ids = encode(token);
    if (ids.length != 1) {
      throw new IllegalArgumentException("'" + token + "' is not a single token in this tokenizer");
    }
    return ids[0];
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
