package net.b4mad.successor.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;

/**
 * Counts the tokens of rendered examples. Counts depend on the tokenizer, so every count Successor reports says
 * which one it used ({@link #info()}: a name and the SHA-256 of its {@code tokenizer.json}). Without a model's own
 * tokenizer the bundled one is used: Qwen3's byte-level BPE cut to its first 8,000 merges, which splits text
 * into about 30% more tokens than the full tokenizer, so its counts err on the long side.
 */
public final class TokenCounter implements AutoCloseable {

  public static final String BUNDLED_RESOURCE = "/net/b4mad/successor/tokenizer/qwen3-8k/tokenizer.json";
  public static final String BUNDLED_NAME = "qwen3-8k (bundled; ~30% more tokens than the full Qwen3 tokenizer)";

  /** Which tokenizer produced a count. */
  public record TokenizerInfo(String name, String sha256) {}

  private final Qwen3Tokenizer tokenizer;
  private final TokenizerInfo info;

  private TokenCounter(Qwen3Tokenizer tokenizer, TokenizerInfo info) {
    this.tokenizer = tokenizer;
    this.info = info;
  }

  /** The bundled 8k-merge tokenizer; DJL loads tokenizers from files only, so it is copied to a temp file first. */
  public static TokenCounter bundled() {
    byte[] bytes;
    try (InputStream in = TokenCounter.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled tokenizer " + BUNDLED_RESOURCE + " is missing from the jar");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled tokenizer: " + e.getMessage(), e);
    }
    Path temp = null;
    try {
      temp = Files.createTempFile("successor-tokenizer", ".json");
      Files.write(temp, bytes);
      return new TokenCounter(Qwen3Tokenizer.load(temp), new TokenizerInfo(BUNDLED_NAME, sha256(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the bundled tokenizer: " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // a stray temp file is harmless
        }
      }
    }
  }

  /** @param path a {@code tokenizer.json}, or a model directory that holds one */
  public static TokenCounter load(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no tokenizer.json at " + file + ": give a model directory that holds tokenizer.json, or the file itself");
    }
    try {
      return new TokenCounter(Qwen3Tokenizer.load(file), new TokenizerInfo(path.toString(), sha256(Files.readAllBytes(file))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public TokenizerInfo info() {
    return info;
  }

  /** Tokens in a rendered prompt; thread-safe (the Rust tokenizer encodes without shared mutable state). */
  public int count(String text) {
    return tokenizer.count(text);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
