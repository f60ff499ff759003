package net.b4mad.successor.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;

class Qwen3ChatTemplateTest {

  static Stream<Path> allCases() {
    List<Path> cases = new ArrayList<>(Fixtures.sharedChatTemplateCases());
    cases.addAll(Fixtures.ownTemplateCases());
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allCases")
  void rendersExactlyAsTransformers(Path conversation) throws IOException {
    String expected = Files.readString(Fixtures.expectedFor(conversation), StandardCharsets.UTF_8);

    String rendered = Qwen3ChatTemplate.render(Conversation.read(conversation)).text();

    assertEquals(expected, rendered);
  }

  @Test
  void theSharedFixturesAreAllThere() {
    // A missing folder would otherwise pass as zero parameterized cases.
    assertEquals(14, Fixtures.sharedChatTemplateCases().size());
    assertTrue(Fixtures.ownTemplateCases().size() >= 5);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allCases")
  void eachAssistantSpanIsWhatTheModelWrites(Path conversation) {
    Conversation parsed = Conversation.read(conversation);
    RenderedChat rendered = Qwen3ChatTemplate.render(parsed);

    long assistants = parsed.messages().stream().filter(m -> m.role().equals(ChatMessage.ASSISTANT)).count();
    assertEquals(assistants, rendered.assistantSpans().size());
    for (RenderedChat.Span span : rendered.assistantSpans()) {
      assertTrue(rendered.text().startsWith("<|im_start|>assistant\n", span.start() - "<|im_start|>assistant\n".length()));
      String output = span.of(rendered.text());
      assertTrue(output.endsWith("<|im_end|>"), output);
      assertEquals(output.indexOf("<|im_end|>"), output.length() - "<|im_end|>".length(), "one turn per span");
      assertTrue(!output.contains("<|im_start|>"), output);
    }
  }

  @Test
  void spansCoverThinkingContentAndToolCallsUpToImEnd() {
    Conversation conversation =
        Conversation.of(
            List.of(
                ChatMessage.user("Old question"),
                ChatMessage.assistant("Old answer"),
                ChatMessage.user("New question"),
                new ChatMessage(
                    ChatMessage.ASSISTANT,
                    "Calling.",
                    "Think.",
                    List.of(new ToolCall("f", Json.MAPPER.readTree("{\"x\": 1}")))),
                ChatMessage.tool("42"),
                ChatMessage.assistant("It is 42.")));

    RenderedChat rendered = Qwen3ChatTemplate.render(conversation);

    List<String> outputs = rendered.assistantSpans().stream().map(s -> s.of(rendered.text())).toList();
    assertEquals(
        List.of(
            "Old answer<|im_end|>",
            "<think>\nThink.\n</think>\n\nCalling.\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n</tool_call><|im_end|>",
            "<think>\n\n</think>\n\nIt is 42.<|im_end|>"),
        outputs);
    assertTrue(rendered.text().endsWith("It is 42.<|im_end|>\n"));
  }

  @Test
  void stringArgumentsGoInAsTheyAreAndObjectsAsPythonJson() {
    String asString = render(new ToolCall("f", JsonNodeFactory.instance.stringNode("{\"b\":2,  \"a\": 1.50}")));
    String asObject = render(new ToolCall("f", Json.MAPPER.readTree("{\"b\":2,  \"a\": 1.50}")));

    assertTrue(asString.contains("{\"name\": \"f\", \"arguments\": {\"b\":2,  \"a\": 1.50}}"), asString);
    // tojson keeps key order, puts a space after ':' and ',', and writes the float as Python does.
    assertTrue(asObject.contains("{\"name\": \"f\", \"arguments\": {\"b\": 2, \"a\": 1.5}}"), asObject);
  }

  @Test
  void argumentsKeepNonAsciiAndEscapeLikeJsonDumps() {
    String rendered =
        render(new ToolCall("f", Json.MAPPER.readTree("{\"t\": \"Ü ✓ 😀 \\\"q\\\" \\\\ / \\n \\u0007\"}")));

    assertTrue(rendered.contains("{\"t\": \"Ü ✓ 😀 \\\"q\\\" \\\\ / \\n \\u0007\"}"), rendered);
  }

  @Test
  void nullContentRendersAsEmptyText() {
    String rendered =
        Qwen3ChatTemplate.render(
                Conversation.of(List.of(ChatMessage.user("Hi"), ChatMessage.assistant(null), ChatMessage.user("Again"))))
            .text();

    assertEquals(
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<|im_end|>\n<|im_start|>user\nAgain<|im_end|>\n",
        rendered);
  }

  @Test
  void anUnknownRoleNamesTheMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"robot\", \"content\": \"b\"}]}"));

    assertEquals("messages[1]: unknown role 'robot': expected system, user, assistant or tool", e.getMessage());
  }

  @Test
  void malformedMessagesNameTheirIndex() {
    assertError("messages[0]: a message needs a string 'role', got nothing", "[{\"content\": \"a\"}]");
    assertError("messages[0]: a message must be a JSON object, got string \"hello\"", "[\"hello\"]");
    assertError(
        "messages[0]: 'content' must be a string or null, got array [{\"type\":\"text\",\"text\":\"a\"}]"
            + " (content parts are not supported: join them into one string)",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\"}]}]");
    assertError(
        "messages[1]: tool_calls[0]: a tool call needs a string 'name', got nothing",
        "[{\"role\": \"user\", \"content\": \"a\"},"
            + " {\"role\": \"assistant\", \"tool_calls\": [{\"function\": {\"arguments\": {}}}]}]");
    assertError(
        "messages[0]: tool_calls[0]: tool call 'f' has no 'arguments'",
        "[{\"role\": \"assistant\", \"tool_calls\": [{\"name\": \"f\"}]}]");
    assertError(
        "messages[0]: only assistant messages may have tool_calls, this one is user",
        "[{\"role\": \"user\", \"content\": \"a\", \"tool_calls\": [{\"name\": \"f\", \"arguments\": {}}]}]");
    IllegalArgumentException notArray =
        assertThrows(IllegalArgumentException.class, () -> parse("{\"messages\": {}}"));
    assertEquals("'messages' must be a JSON array, got object {}", notArray.getMessage());
    IllegalArgumentException thinking =
        assertThrows(IllegalArgumentException.class, () -> parse("{\"messages\": [], \"enable_thinking\": \"no\"}"));
    assertEquals("'enable_thinking' must be true or false, got string \"no\"", thinking.getMessage());
  }

  @Test
  void aFileThatIsNotJsonSaysSo(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"messages\": [");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conversation.read(file));

    assertTrue(e.getMessage().startsWith(file + " is not valid JSON: "), e.getMessage());
  }

  private static void assertError(String expected, String messagesJson) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse("{\"messages\": " + messagesJson + "}"));
    assertEquals(expected, e.getMessage());
  }

  private static Conversation parse(String json) {
    return Conversation.parse(Json.MAPPER.readTree(json));
  }

  private static String render(ToolCall call) {
    return Qwen3ChatTemplate.render(Conversation.of(List.of(ChatMessage.user("q"), ChatMessage.assistant("", call))))
        .text();
  }
}
