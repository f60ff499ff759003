package net.b4mad.successor.traces;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces secrets in traces with typed placeholders ({@code [REDACTED_OPENAI_KEY]}, ...) before they are
 * stored: API keys and tokens of the common providers, bearer tokens, private keys, passwords in URLs and, unless
 * switched off, e-mail addresses. Traces are training data: whatever stays in them may be learnt and repeated.
 *
 * <p>Scrubbing is idempotent: a placeholder matches no pattern, so scrubbing a scrubbed trace changes nothing
 * and counts nothing.
 */
public final class SecretScrubber {

  private final List<SecretKind> kinds;

  public SecretScrubber(Set<SecretKind> kinds) {
    // Enum order: the more specific patterns (sk-ant-) run before the general ones (sk-).
    this.kinds = List.copyOf(kinds.isEmpty() ? EnumSet.noneOf(SecretKind.class) : EnumSet.copyOf(kinds));
  }

  /** Every kind, e-mail addresses included. */
  public static SecretScrubber all() {
    return new SecretScrubber(EnumSet.allOf(SecretKind.class));
  }

  /** Every kind but e-mail addresses, for traces where addresses are the subject (mail tools, git config). */
  public static SecretScrubber keepingEmails() {
    return new SecretScrubber(EnumSet.complementOf(EnumSet.of(SecretKind.EMAIL)));
  }

  /**
   * The text with its secrets replaced.
   *
   * @param counts incremented per {@link SecretKind#key()} for each secret replaced
   */
  public String scrub(String text, Map<String, Integer> counts) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String result = text;
    for (SecretKind kind : kinds) {
      if (kind.mayOccurIn(result)) {
        result = replace(kind, result, counts);
      }
    }
    return result;
  }

  private static String replace(SecretKind kind, String text, Map<String, Integer> counts) {
    Matcher matcher = kind.pattern().matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    int found = 0;
    do {
      int start = kind.replacesGroup() ? matcher.start("secret") : matcher.start();
      int end = kind.replacesGroup() ? matcher.end("secret") : matcher.end();
      out.append(text, copied, start).append(kind.placeholder());
      copied = end;
      found++;
    } while (matcher.find());
    out.append(text, copied, text.length());
    counts.merge(kind.key(), found, Integer::sum);
    return out.toString();
  }

  /**
   * The trace with every string scrubbed: message contents and reasoning, tool call arguments (all the strings
   * inside the JSON), tool results, and the offered tools' schemas. Metadata is left as it is.
   */
  public Trace scrub(Trace trace, Map<String, Integer> counts) {
    List<TraceMessage> messages = new ArrayList<>(trace.messages().size());
    for (TraceMessage message : trace.messages()) {
      List<TraceToolCall> calls = new ArrayList<>(message.toolCalls().size());
      for (TraceToolCall call : message.toolCalls()) {
        calls.add(new TraceToolCall(call.id(), call.name(), scrub(call.arguments(), counts)));
      }
      messages.add(
          new TraceMessage(
              message.role(),
              scrub(message.content(), counts),
              scrub(message.reasoning(), counts),
              calls,
              message.toolCallId(),
              message.name()));
    }
    List<JsonNode> tools = trace.tools().stream().map(tool -> scrub(tool, counts)).toList();
    return new Trace(trace.id(), messages, tools, trace.metadata());
  }

  /** A copy of the JSON with its string values scrubbed (keys are names, not data, and stay). */
  public JsonNode scrub(JsonNode node, Map<String, Integer> counts) {
    if (node == null) {
      return null;
    }
    if (node.isString()) {
      String text = node.stringValue();
      String scrubbed = scrub(text, counts);
      return scrubbed.equals(text) ? node : Json.MAPPER.getNodeFactory().stringNode(scrubbed);
    }
    if (node.isArray()) {
      ArrayNode copy = Json.MAPPER.createArrayNode();
      node.forEach(child -> copy.add(scrub(child, counts)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = Json.MAPPER.createObjectNode();
      node.forEachEntry((key, child) -> copy.set(key, scrub(child, counts)));
      return copy;
    }
    return node;
  }
}
