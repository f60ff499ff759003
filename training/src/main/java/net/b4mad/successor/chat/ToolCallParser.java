package net.b4mad.successor.chat;

import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads what a Qwen3 model generated in an assistant turn: an optional {@code <think>...</think>} block, text,
 * and any number of {@code <tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>} blocks, the format the
 * chat template teaches in its tools header.
 */
public final class ToolCallParser {

  private ToolCallParser() {}

  public static ParsedCompletion parse(String completion) {
    List<ParsedCompletion.ParseError> errors = new ArrayList<>();
    String text = withoutStopToken(completion);

    String reasoning = "";
    String stripped = text.stripLeading();
    int close = text.indexOf(Qwen3ChatTemplate.THINK_CLOSE);
    if (stripped.startsWith(Qwen3ChatTemplate.THINK_OPEN) && close < 0) {
      reasoning = stripped.substring(Qwen3ChatTemplate.THINK_OPEN.length()).strip();
      errors.add(new ParsedCompletion.ParseError(stripped, "unclosed <think> block (no </think>)"));
      text = "";
    } else if (close >= 0 && (stripped.startsWith(Qwen3ChatTemplate.THINK_OPEN) || !text.contains(Qwen3ChatTemplate.THINK_OPEN))) {
      // Either the model opened the block itself, or the prompt ended in <think> and only the close is ours.
      String inside = text.substring(0, close).stripLeading();
      if (inside.startsWith(Qwen3ChatTemplate.THINK_OPEN)) {
        inside = inside.substring(Qwen3ChatTemplate.THINK_OPEN.length());
      }
      reasoning = inside.strip();
      text = text.substring(close + Qwen3ChatTemplate.THINK_CLOSE.length());
    }

    List<ToolCall> calls = new ArrayList<>();
    List<String> textParts = new ArrayList<>();
    int position = 0;
    while (true) {
      int open = text.indexOf(Qwen3ChatTemplate.TOOL_CALL_OPEN, position);
      if (open < 0) {
        textParts.add(text.substring(position));
        break;
      }
      textParts.add(text.substring(position, open));
      int bodyStart = open + Qwen3ChatTemplate.TOOL_CALL_OPEN.length();
      int end = text.indexOf(Qwen3ChatTemplate.TOOL_CALL_CLOSE, bodyStart);
      int nextOpen = text.indexOf(Qwen3ChatTemplate.TOOL_CALL_OPEN, bodyStart);
      if (end < 0 || (nextOpen >= 0 && nextOpen < end)) {
        // No close before the next open (or the end): this block is cut off; later blocks may still be whole.
        int cut = nextOpen >= 0 ? nextOpen : text.length();
        errors.add(new ParsedCompletion.ParseError(text.substring(open, cut), "unclosed <tool_call> block (no </tool_call>)"));
        position = cut;
        continue;
      }
      String raw = text.substring(open, end + Qwen3ChatTemplate.TOOL_CALL_CLOSE.length());
      String problem = readCall(text.substring(bodyStart, end).strip(), calls);
      if (problem != null) {
        errors.add(new ParsedCompletion.ParseError(raw, problem));
      }
      position = end + Qwen3ChatTemplate.TOOL_CALL_CLOSE.length();
    }

    List<String> nonBlank = textParts.stream().map(String::strip).filter(part -> !part.isEmpty()).toList();
    return new ParsedCompletion(reasoning, String.join("\n", nonBlank), calls, errors);
  }

  /** Adds the call in BODY to CALLS, or returns why it is not one. */
  private static String readCall(String body, List<ToolCall> calls) {
    if (body.isEmpty()) {
      return "empty <tool_call> block";
    }
    JsonNode call;
    try {
      call = Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      return "not valid JSON: " + e.getOriginalMessage();
    }
    if (call == null || !call.isObject()) {
      return "expected a JSON object {\"name\": ..., \"arguments\": {...}}, got " + Conversation.describe(call);
    }
    JsonNode name = call.get("name");
    if (name == null || !name.isString() || name.stringValue().isEmpty()) {
      return "no function name (a non-empty string 'name')";
    }
    JsonNode arguments = call.get("arguments");
    if (arguments != null && arguments.isString()) {
      // Some models emit the arguments serialised once more, as the OpenAI wire form does.
      try {
        arguments = Json.MAPPER.readTree(arguments.stringValue());
      } catch (JacksonException e) {
        return "arguments of '" + name.stringValue() + "' are a string that is not valid JSON: " + e.getOriginalMessage();
      }
    }
    if (arguments == null || !arguments.isObject()) {
      return "arguments of '" + name.stringValue() + "' must be a JSON object, got " + Conversation.describe(arguments);
    }
    calls.add(new ToolCall(name.stringValue(), arguments));
    return null;
  }

  /** The completion without a trailing stop token: decoding may keep it, but it is not text the model meant. */
  public static String withoutStopToken(String completion) {
    String text = completion;
    for (String stop : List.of("<|endoftext|>", Qwen3ChatTemplate.IM_END)) {
      if (text.endsWith(stop)) {
        text = text.substring(0, text.length() - stop.length());
      }
    }
    return text;
  }
}
