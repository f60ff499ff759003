package net.b4mad.successor.datasets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.chat.Qwen3ChatTemplate;

/**
 * Keeps the first of each group of duplicates, in the order examples are offered: exact duplicates (the same
 * rendered prompt once whitespace runs are collapsed) and, optionally, near-duplicates by MinHash.
 *
 * <p>Near-duplicates are judged on the rendered conversation without the system prompt and tool definitions:
 * every trace of one agent shares those, often thousands of tokens of them, and they would make any two short
 * conversations of that agent look alike.
 */
final class DuplicateFilter {

  private final NearDuplicateIndex near;
  private final Map<Long, String> exact = new HashMap<>();
  private final List<String> nearIds = new ArrayList<>();

  /** @param nearThreshold Jaccard threshold for near-duplicates; NaN for exact duplicates only */
  DuplicateFilter(double nearThreshold) {
    this.near = Double.isNaN(nearThreshold) ? null : new NearDuplicateIndex(nearThreshold);
  }

  NearDuplicateIndex nearIndex() {
    return near;
  }

  /**
   * Offers an example; returns null when it is kept, else what it duplicates.
   *
   * @param signature its {@link #nearSignature}; ignored without near-duplicate detection
   */
  DuplicateRemoval offer(String id, long exactKey, int[] signature) {
    String keptExact = exact.putIfAbsent(exactKey, id);
    if (keptExact != null) {
      return new DuplicateRemoval(id, keptExact, "exact", 1.0);
    }
    if (near != null && signature != null) {
      NearDuplicateIndex.Match match = near.findSimilar(signature);
      if (match != null) {
        exact.remove(exactKey);
        return new DuplicateRemoval(id, nearIds.get(match.entry()), "near", match.similarity());
      }
      near.add(signature);
      nearIds.add(id);
    }
    return null;
  }

  /** 64 bits of the SHA-256 of the text with whitespace runs collapsed to one space and the ends trimmed. */
  static long exactKey(String rendered) {
    StringBuilder collapsed = new StringBuilder(rendered.length());
    boolean space = false;
    for (int i = 0; i < rendered.length(); i++) {
      char c = rendered.charAt(i);
      if (Character.isWhitespace(c)) {
        space = collapsed.length() > 0;
      } else {
        if (space) {
          collapsed.append(' ');
          space = false;
        }
        collapsed.append(c);
      }
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(collapsed.toString().getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The MinHash signature of the conversation after its leading system messages, rendered without tools. */
  static int[] nearSignature(Conversation conversation) {
    List<ChatMessage> messages = conversation.messages();
    int first = 0;
    while (first < messages.size() && messages.get(first).role().equals(ChatMessage.SYSTEM)) {
      first++;
    }
    Conversation body = new Conversation(messages.subList(first, messages.size()), List.of(), false, true);
    return NearDuplicateIndex.signature(Qwen3ChatTemplate.render(body).text());
  }
}
