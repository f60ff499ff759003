package net.b4mad.successor.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each problem kind, caught on a crafted example; a clean example passes. */
class DatasetValidatorTest {

  static TokenCounter tokens;
  static DatasetValidator validator;

  @BeforeAll
  static void load() {
    tokens = TokenCounter.bundled();
    validator = new DatasetValidator(tokens, 4096);
  }

  @AfterAll
  static void close() {
    tokens.close();
  }

  private static final String TOOLS = "[" + Examples.READ_FILE_TOOL + "]";

  static DatasetExample example(String messages) {
    return example(messages, TOOLS);
  }

  static DatasetExample example(String messages, String tools) {
    return DatasetExample.withContentId(Examples.json("{\"messages\": " + messages + ", \"tools\": " + tools + "}"), "t");
  }

  static final String USER = "{\"role\": \"user\", \"content\": \"read a.md\"}";
  static final String CALL = "{\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"read_file\", \"arguments\": {\"path\": \"a.md\"}}}]}";
  static final String RESULT = "{\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"hello\"}";
  static final String ANSWER = "{\"role\": \"assistant\", \"content\": \"It says hello.\"}";

  private static List<String> kinds(DatasetExample example) {
    return validator.check(example).problems().stream().map(ValidationProblem::kind).distinct().sorted().toList();
  }

  private static void assertOnly(String kind, DatasetExample example) {
    CheckedExample checked = validator.check(example);
    assertEquals(List.of(kind), checked.problems().stream().map(ValidationProblem::kind).distinct().toList(),
        () -> checked.problems().toString());
    for (ValidationProblem problem : checked.problems()) {
      assertEquals(example.id(), problem.exampleId());
      assertTrue(problem.fix().length() > 10, "every problem has a fix hint");
    }
  }

  @Test
  void aCleanExamplePassesAndIsRenderedAndCounted() {
    CheckedExample checked = validator.check(example("[" + USER + ", " + CALL + ", " + RESULT + ", " + ANSWER + "]"));
    assertTrue(checked.valid(), checked.problems().toString());
    assertEquals(2, checked.rendered().assistantSpans().size());
    assertTrue(checked.tokens() > 50, "tools header and conversation: " + checked.tokens());
    // Ending on the call is fine: the model learns to make it.
    assertTrue(validator.check(example("[" + USER + ", " + CALL + "]")).valid());
  }

  @Test
  void argumentsThatAreNotAJsonObject() {
    assertOnly(DatasetValidator.INVALID_JSON_ARGUMENTS, example("[" + USER + ", "
        + CALL.replace("{\"path\": \"a.md\"}", "\"{path: a.md\"") + ", " + RESULT + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.INVALID_JSON_ARGUMENTS, example("[" + USER + ", "
        + CALL.replace("{\"path\": \"a.md\"}", "[1]") + ", " + RESULT + ", " + ANSWER + "]"));
  }

  @Test
  void aToolTheExampleDoesNotOffer() {
    assertOnly(DatasetValidator.UNKNOWN_TOOL, example("[" + USER + ", " + CALL.replace("read_file", "delete_file") + ", "
        + RESULT + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.UNKNOWN_TOOL, example("[" + USER + ", " + CALL + ", " + RESULT + ", " + ANSWER + "]", "[]"));
  }

  @Test
  void argumentsAgainstTheToolsSchema() {
    CheckedExample missing = validator.check(example("[" + USER + ", " + CALL.replace("\"path\"", "\"file\"") + ", "
        + RESULT + ", " + ANSWER + "]"));
    assertEquals(List.of(DatasetValidator.SCHEMA_VIOLATION), missing.problems().stream().map(ValidationProblem::kind).toList());
    assertTrue(missing.problems().get(0).message().contains("path"), missing.problems().get(0).message());
    assertOnly(DatasetValidator.SCHEMA_VIOLATION, example("[" + USER + ", " + CALL.replace("\"a.md\"}", "42}") + ", "
        + RESULT + ", " + ANSWER + "]"));
  }

  @Test
  void illegalRoleOrders() {
    assertOnly(DatasetValidator.BAD_ROLE_ORDER, example("[" + ANSWER + ", " + USER + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.BAD_ROLE_ORDER, example("[" + USER + ", " + ANSWER + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.BAD_ROLE_ORDER, example("[" + USER + "]"));
    assertOnly(DatasetValidator.BAD_ROLE_ORDER, example("[]"));
    // A later system message is legal: the template renders it as its own turn.
    assertTrue(validator.check(example("[{\"role\": \"system\", \"content\": \"s\"}, " + USER
        + ", {\"role\": \"system\", \"content\": \"reminder\"}, " + ANSWER + "]")).valid());
  }

  @Test
  void callsWithoutResults() {
    assertOnly(DatasetValidator.UNANSWERED_CALL, example("[" + USER + ", " + CALL + ", " + USER + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.UNANSWERED_CALL, example("[" + USER + ", " + CALL + ", " + ANSWER + "]"));
    // Two calls, one result, then the end.
    String twoCalls = CALL.replace("}}]}", "}}, {\"id\": \"c2\", \"type\": \"function\", \"function\": {\"name\": \"read_file\", \"arguments\": {\"path\": \"b.md\"}}}]}");
    assertOnly(DatasetValidator.UNANSWERED_CALL, example("[" + USER + ", " + twoCalls + ", " + RESULT + "]"));
    // Without ids on either side, results are matched by count.
    String noIdCall = CALL.replace("\"id\": \"c1\", ", "");
    String noIdResult = RESULT.replace("\"tool_call_id\": \"c1\", ", "");
    assertTrue(validator.check(example("[" + USER + ", " + noIdCall + ", " + noIdResult + ", " + ANSWER + "]")).valid());
  }

  @Test
  void resultsThatAnswerNoCall() {
    assertOnly(DatasetValidator.ORPHAN_RESULT, example("[" + USER + ", " + RESULT + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.ORPHAN_RESULT, example("[" + USER + ", " + CALL + ", " + RESULT + ", " + RESULT + ", " + ANSWER + "]"));
    // Wrong id: the result is an orphan and the call stays unanswered.
    assertEquals(List.of(DatasetValidator.ORPHAN_RESULT, DatasetValidator.UNANSWERED_CALL),
        kinds(example("[" + USER + ", " + CALL + ", " + RESULT.replace("c1", "c9") + ", " + ANSWER + "]")));
  }

  @Test
  void emptyAssistantMessages() {
    assertOnly(DatasetValidator.EMPTY_ASSISTANT, example("[" + USER + ", {\"role\": \"assistant\", \"content\": \"  \"}]"));
  }

  @Test
  void examplesTooLongForTraining() {
    DatasetValidator strict = new DatasetValidator(tokens, 20);
    CheckedExample checked = strict.check(example("[" + USER + ", " + ANSWER + "]"));
    assertEquals(List.of(DatasetValidator.TOO_LONG), checked.problems().stream().map(ValidationProblem::kind).toList());
    assertTrue(checked.problems().get(0).message().contains("over the limit of 20"));
  }

  @Test
  void malformedMessagesAndToolDefinitions() {
    assertOnly(DatasetValidator.MALFORMED, example("[" + USER + ", {\"role\": \"robot\", \"content\": \"beep\"}, " + ANSWER + "]"));
    assertOnly(DatasetValidator.MALFORMED, example("[{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"hi\"}]}, " + ANSWER + "]"));
    assertOnly(DatasetValidator.MALFORMED, example("[" + CALL.replace("assistant", "user") + ", " + ANSWER + "]"));
    assertOnly(DatasetValidator.INVALID_TOOL_DEFINITION,
        example("[" + USER + ", " + ANSWER + "]", "[{\"type\": \"function\", \"function\": {\"description\": \"nameless\"}}]"));
  }

  @Test
  void validateAllCountsByKindAndFlagsRepeatedIds() {
    DatasetExample good = example("[" + USER + ", " + ANSWER + "]");
    DatasetExample bad = example("[" + USER + "]");
    ValidationReport report = validator.validateAll(List.of(good, bad, good), List.of(), 1);
    assertEquals(3, report.examples());
    assertEquals(2, report.invalid());
    assertEquals(Map.of(DatasetValidator.BAD_ROLE_ORDER, 1, DatasetValidator.DUPLICATE_ID, 1), report.problemsByKind());
    assertEquals(1, report.problems().size());
    assertTrue(report.truncated());
    assertEquals(new TreeSet<>(DatasetValidator.KINDS).size(), DatasetValidator.KINDS.size());
  }

  /** The gold examples shipped in examples/ stay valid. */
  @Test
  void theShippedGoldExamplesAreValid() {
    java.nio.file.Path file = java.nio.file.Path.of("").toAbsolutePath().getParent().resolve("examples/gold/bead-workflow.jsonl");
    ExampleFile.Contents contents = ExampleFile.read(file, "gold");
    ValidationReport report = validator.validateAll(contents.examples(), contents.unreadable(), 10);
    assertEquals(2, report.examples());
    assertEquals(0, report.invalid(), () -> report.problems().toString());
  }
}
