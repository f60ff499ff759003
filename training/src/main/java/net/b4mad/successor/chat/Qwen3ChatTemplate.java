package net.b4mad.successor.chat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The official Qwen3 chat template (the Jinja {@code chat_template} of Qwen3's {@code tokenizer_config.json}),
 * rendered in Java to the same characters as transformers' {@code apply_chat_template}. Each step below names
 * the template branch it follows, so the two can be read side by side.
 */
public final class Qwen3ChatTemplate {

  static final String IM_START = "<|im_start|>";
  static final String IM_END = "<|im_end|>";
  static final String THINK_OPEN = "<think>";
  static final String THINK_CLOSE = "</think>";
  static final String TOOL_CALL_OPEN = "<tool_call>";
  static final String TOOL_CALL_CLOSE = "</tool_call>";

  private static final String TOOLS_HEADER =
      "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
          + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
  private static final String TOOLS_FOOTER =
      "\n</tools>\n\nFor each function call, return a json object with function name and arguments within"
          + " <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\":"
          + " <args-json-object>}\n</tool_call><|im_end|>\n";

  private Qwen3ChatTemplate() {}

  public static RenderedChat render(Conversation conversation) {
    List<ChatMessage> messages = conversation.messages();
    StringBuilder out = new StringBuilder();
    List<RenderedChat.Span> spans = new ArrayList<>();

    boolean startsWithSystem = !messages.isEmpty() && messages.get(0).role().equals(ChatMessage.SYSTEM);
    if (!conversation.tools().isEmpty()) {
      out.append(IM_START).append("system\n");
      if (startsWithSystem) {
        out.append(textOf(messages.get(0))).append("\n\n");
      }
      out.append(TOOLS_HEADER);
      for (JsonNode tool : conversation.tools()) {
        out.append('\n').append(PythonJson.dumps(tool));
      }
      out.append(TOOLS_FOOTER);
    } else if (startsWithSystem) {
      out.append(IM_START).append("system\n").append(textOf(messages.get(0))).append(IM_END).append('\n');
    }

    int lastQuery = lastQueryIndex(messages);
    int last = messages.size() - 1;
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage message = messages.get(i);
      String content = textOf(message);
      switch (message.role()) {
        case ChatMessage.SYSTEM -> {
          // The first system message went into the header above.
          if (i > 0) {
            out.append(IM_START).append("system\n").append(content).append(IM_END).append('\n');
          }
        }
        case ChatMessage.USER -> out.append(IM_START).append("user\n").append(content).append(IM_END).append('\n');
        case ChatMessage.ASSISTANT -> {
          out.append(IM_START).append("assistant\n");
          int start = out.length();
          appendAssistant(message, content, i > lastQuery, i == last, out);
          out.append(IM_END);
          // The span ends after <|im_end|>: predicting it is how the model learns to stop. The newline after
          // it is template framing that generation never produces (decoding stops at <|im_end|>).
          spans.add(new RenderedChat.Span(start, out.length()));
          out.append('\n');
        }
        case ChatMessage.TOOL -> {
          // Consecutive tool results share one user turn.
          if (i == 0 || !messages.get(i - 1).role().equals(ChatMessage.TOOL)) {
            out.append(IM_START).append("user");
          }
          out.append("\n<tool_response>\n").append(content).append("\n</tool_response>");
          if (i == last || !messages.get(i + 1).role().equals(ChatMessage.TOOL)) {
            out.append(IM_END).append('\n');
          }
        }
        default -> throw new IllegalStateException("unknown role " + message.role());
      }
    }

    if (conversation.addGenerationPrompt()) {
      out.append(IM_START).append("assistant\n");
      if (!conversation.enableThinking()) {
        out.append(THINK_OPEN).append("\n\n").append(THINK_CLOSE).append("\n\n");
      }
    }
    return new RenderedChat(out.toString(), spans);
  }

  /**
   * The template's {@code ns.last_query_index}: the last user message whose content is a string and not a tool
   * result pasted into a user turn. Reasoning is kept only for assistant turns after it, i.e. the current
   * multi-step tool-calling turn; earlier turns lose their thinking as they do at inference time. With no such
   * message it is the last index, so no turn keeps its reasoning.
   */
  static int lastQueryIndex(List<ChatMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage message = messages.get(i);
      String content = message.content();
      if (message.role().equals(ChatMessage.USER)
          && content != null
          && !(content.startsWith("<tool_response>") && content.endsWith("</tool_response>"))) {
        return i;
      }
    }
    return messages.size() - 1;
  }

  private static void appendAssistant(
      ChatMessage message, String content, boolean afterLastQuery, boolean isLast, StringBuilder out) {
    String reasoning = "";
    if (message.reasoningContent() != null) {
      reasoning = message.reasoningContent();
    } else if (content.contains(THINK_CLOSE)) {
      // content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
      String beforeClose = stripTrailingNewlines(content.substring(0, content.indexOf(THINK_CLOSE)));
      int open = beforeClose.lastIndexOf(THINK_OPEN);
      reasoning = stripLeadingNewlines(open < 0 ? beforeClose : beforeClose.substring(open + THINK_OPEN.length()));
      // content.split('</think>')[-1].lstrip('\n')
      content = stripLeadingNewlines(content.substring(content.lastIndexOf(THINK_CLOSE) + THINK_CLOSE.length()));
    }

    if (afterLastQuery && (isLast || !reasoning.isEmpty())) {
      out.append(THINK_OPEN).append('\n')
          .append(stripLeadingNewlines(stripTrailingNewlines(reasoning)))
          .append('\n').append(THINK_CLOSE).append("\n\n")
          .append(stripLeadingNewlines(content));
    } else {
      out.append(content);
    }

    List<ToolCall> calls = message.toolCalls();
    for (int j = 0; j < calls.size(); j++) {
      // The test is on content before the lstrip above, as in the template.
      if (j > 0 || !content.isEmpty()) {
        out.append('\n');
      }
      ToolCall call = calls.get(j);
      out.append(TOOL_CALL_OPEN).append("\n{\"name\": \"").append(call.name()).append("\", \"arguments\": ");
      JsonNode arguments = call.arguments();
      out.append(arguments.isString() ? arguments.stringValue() : PythonJson.dumps(arguments));
      out.append("}\n").append(TOOL_CALL_CLOSE);
    }
  }

  /** A message's content as the template uses it: a null content is empty text. */
  private static String textOf(ChatMessage message) {
    return message.content() == null ? "" : message.content();
  }

  private static String stripLeadingNewlines(String s) {
    int start = 0;
    while (start < s.length() && s.charAt(start) == '\n') {
      start++;
    }
    return s.substring(start);
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '\n') {
      end--;
    }
    return s.substring(0, end);
  }
}
