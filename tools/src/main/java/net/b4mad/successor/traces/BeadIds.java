package net.b4mad.successor.traces;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Finds beads issue ids in text: {@code prefix-hash}, a lower-case prefix and a short base36 hash, optionally
 * with child numbers ({@code bd-a3f8.1}). Ordinary hyphenated words have the same shape ({@code follow-up},
 * {@code utf-8}, {@code sha-256}), so the finder is conservative; an id counts when
 *
 * <ul>
 *   <li>its hash has 3 to 8 characters with both a letter and a digit ({@code b4-1a2b}, {@code successor-3kx}),
 *       the shape of beads' hash ids, or
 *   <li>its prefix is {@code bd} (beads' own) or one that an id of the first kind in the same text has shown to
 *       be a beads prefix, so {@code bd-xyz}, {@code bd-12} and, next to {@code b4-1a2b}, also {@code b4-abcd}.
 * </ul>
 *
 * Parts of paths, URLs, e-mail addresses and longer hyphenated words ({@code x86-64-linux}, UUIDs) never count.
 */
public final class BeadIds {

  private static final Pattern CANDIDATE =
      Pattern.compile(
          "(?<![A-Za-z0-9_./\\\\@-])(?<prefix>[a-z][a-z0-9]{0,15})-(?<hash>[a-z0-9]{1,8})(?:\\.[0-9]{1,3}){0,3}"
              + "(?![A-Za-z0-9_@-])(?!\\.[A-Za-z0-9])");

  private static final Pattern HASH_SHAPE = Pattern.compile("(?=.*[a-z])(?=.*[0-9])[a-z0-9]{3,8}");

  /** Versions and sizes look like hashes: {@code node-v18}, {@code qwen3-32b}, {@code ram-16gb}. */
  private static final Pattern VERSION_OR_SIZE =
      Pattern.compile("v[0-9]+[a-z]?|[0-9]+(?:b|k|m|g|t|kb|mb|gb|tb|px|ms|x)");

  private record Candidate(String id, String prefix, String hash) {}

  private static final String BEADS_PREFIX = "bd";

  private BeadIds() {}

  /** The ids in the order they first occur, each once. */
  public static List<String> in(String text) {
    if (text == null || text.indexOf('-') < 0) {
      return List.of();
    }
    Set<String> prefixes = new LinkedHashSet<>(List.of(BEADS_PREFIX));
    List<Candidate> candidates = new ArrayList<>();
    Matcher matcher = CANDIDATE.matcher(text);
    while (matcher.find()) {
      Candidate candidate = new Candidate(matcher.group(), matcher.group("prefix"), matcher.group("hash"));
      candidates.add(candidate);
      if (hashShaped(candidate.hash())) {
        prefixes.add(candidate.prefix());
      }
    }
    Set<String> ids = new LinkedHashSet<>();
    for (Candidate candidate : candidates) {
      if (hashShaped(candidate.hash()) || prefixes.contains(candidate.prefix())) {
        ids.add(candidate.id());
      }
    }
    return List.copyOf(ids);
  }

  private static boolean hashShaped(String hash) {
    return HASH_SHAPE.matcher(hash).matches() && !VERSION_OR_SIZE.matcher(hash).matches();
  }

  /** The ids mentioned anywhere in a trace: message texts, reasoning, tool call arguments, tool results. */
  public static List<String> in(Trace trace) {
    StringBuilder text = new StringBuilder();
    for (TraceMessage message : trace.messages()) {
      append(text, message.content());
      append(text, message.reasoning());
      for (TraceToolCall call : message.toolCalls()) {
        appendStrings(text, call.arguments());
      }
    }
    return in(text.toString());
  }

  private static void append(StringBuilder text, String part) {
    if (part != null) {
      text.append(part).append('\n');
    }
  }

  private static void appendStrings(StringBuilder text, JsonNode node) {
    if (node == null) {
      return;
    }
    if (node.isString()) {
      append(text, node.stringValue());
    } else {
      node.forEach(child -> appendStrings(text, child));
    }
  }
}
