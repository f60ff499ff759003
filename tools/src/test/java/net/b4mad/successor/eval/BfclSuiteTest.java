package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.b4mad.successor.chat.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** BFCL's question and possible-answer files as suites. */
class BfclSuiteTest {

  @TempDir Path dir;

  @Test
  void importsTheFourFixtureFiles() {
    for (var expected : List.of(List.of("simple_python", 400), List.of("multiple", 200), List.of("parallel", 200),
        List.of("irrelevance", 240))) {
      EvalSuite suite = BfclAgreementTest.suite((String) expected.get(0));
      assertEquals("BFCL_v4_" + expected.get(0), suite.name());
      assertEquals(expected.get(1), suite.cases().size());
      assertEquals(Set.of(expected.get(0)), Set.copyOf(suite.cases().stream().map(EvalCase::category).toList()));
    }
  }

  @Test
  void aQuestionBecomesACaseAsBfclPromptsQwen() {
    EvalCase first = BfclAgreementTest.suite("simple_python").cases().get(0);
    assertEquals("simple_python_0", first.id());
    assertEquals(List.of(ChatMessage.user("Find the area of a triangle with a base of 10 units and height of 5 units.")),
        first.messages());
    JsonNode tool = first.tools().get(0);
    assertEquals("function", tool.get("type").stringValue());
    assertEquals("calculate_triangle_area", tool.get("function").get("name").stringValue());
    assertEquals("Calculate the area of a triangle given its base and height. Note that the provided function is in"
        + " Python 3 syntax.", tool.get("function").get("description").stringValue());
    assertEquals("dict", tool.get("function").get("parameters").get("type").stringValue());
    assertTrue(first.conversation().addGenerationPrompt());
    assertEquals(false, first.conversation().enableThinking());

    Expectation.ToolCalls expected = assertInstanceOf(Expectation.ToolCalls.class, first.expectation());
    assertEquals("calculate_triangle_area", expected.calls().get(0).name());
    assertEquals("[\"units\",\"\"]", expected.calls().get(0).arguments().get("unit").toString());

    EvalCase irrelevant = BfclAgreementTest.suite("irrelevance").cases().get(0);
    assertInstanceOf(Expectation.NoCall.class, irrelevant.expectation());
  }

  @Test
  void categoriesComeFromTheIdAsInBfcl() {
    assertEquals("simple_python", BfclSuite.category("simple_python_12"));
    assertEquals("live_parallel_multiple", BfclSuite.category("live_parallel_multiple_3-2-1"));
    assertEquals("parallel_multiple", BfclSuite.category("parallel_multiple_0"));
  }

  @Test
  void badInputIsRefusedWithFileAndLine() throws Exception {
    String question = """
        {"id": "simple_python_0", "question": [[{"role": "user", "content": "Hi"}]], "function": [{"name": "f",
          "description": "d", "parameters": {"type": "dict", "properties": {"x": {"type": "integer"}}, "required": ["x"]}}]}""";
    Path questions = dir.resolve("q.json");
    Path answers = dir.resolve("a.json");
    Files.writeString(answers, "{\"id\": \"simple_python_0\", \"ground_truth\": [{\"f\": {\"x\": [1]}}]}\n");

    Files.writeString(questions, question.replace("\n", "") + "\n{\"id\": \"simple_python_1\"\n");
    assertTrue(error(questions, answers).startsWith(questions + ":2: not valid JSON (one JSON object per line): "),
        error(questions, answers));

    Files.writeString(questions, question.replace("\n", "").replace("simple_python_0", "simple_python_1") + "\n");
    assertEquals(questions + ":1: no possible answer for simple_python_1 in " + answers, error(questions, answers));

    Files.writeString(questions, question.replace("\n", "").replace("simple_python_0", "multi_turn_base_0") + "\n");
    assertTrue(error(questions, answers).startsWith(questions + ":1: BFCL category 'multi_turn_base' (of"
        + " multi_turn_base_0) is not supported"), error(questions, answers));

    Files.writeString(questions, question.replace("\n", "") + "\n");
    Files.writeString(answers, "{\"id\": \"simple_python_0\", \"ground_truth\": [{\"g\": {\"x\": [1]}}]}\n");
    assertEquals(questions + ":1: expect.tool_calls[0]: the case offers no tool 'g' (its tools: [f])",
        error(questions, answers));
    Files.writeString(answers, "{\"id\": \"simple_python_0\", \"ground_truth\": [{\"f\": {\"x\": 1}}]}\n");
    assertTrue(error(questions, answers).startsWith(questions + ":1: expect.tool_calls[0].arguments.x must be a"
        + " non-empty list of acceptable values"), error(questions, answers));
  }

  private static String error(Path questions, Path answers) {
    return assertThrows(IllegalArgumentException.class, () -> BfclSuite.read(questions, answers)).getMessage();
  }
}
