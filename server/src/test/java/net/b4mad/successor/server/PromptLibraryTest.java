package net.b4mad.successor.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class PromptLibraryTest {

  private static final Path PROMPTS = Path.of("..", "prompts");

  @Test
  void theBundledPromptsLoad() {
    List<String> names = PromptLibrary.bundled().templates().stream().map(PromptTemplate::name).toList();
    assertEquals(List.of("curate-dataset-from-traces", "plan-retraining-run", "review-eval-regression"), names);
  }

  /** The hand-written front matter parser must read every prompt as a real YAML parser does. */
  @Test
  void frontMatterAgreesWithAYamlParser() throws Exception {
    YAMLMapper yaml = YAMLMapper.builder().build();
    List<Path> files;
    try (Stream<Path> list = Files.list(PROMPTS)) {
      files = list.filter(f -> f.toString().endsWith(".md")).sorted().toList();
    }
    assertFalse(files.isEmpty());
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String front = text.substring(4, text.indexOf("\n---\n", 3) + 1);
      JsonNode expected = yaml.readTree(front);
      PromptTemplate template = PromptLibrary.parse(file.getFileName().toString(), text);

      assertEquals(expected.path("name").asString(), template.name(), file.toString());
      assertEquals(expected.path("title").asString(null), template.title(), file.toString());
      assertEquals(expected.path("description").asString(), template.description(), file.toString());
      List<PromptTemplate.Argument> arguments = new ArrayList<>();
      for (JsonNode argument : expected.path("arguments")) {
        arguments.add(
            new PromptTemplate.Argument(
                argument.path("name").asString(),
                argument.path("description").asString(""),
                argument.path("required").asBoolean(false),
                argument.path("default").asString("")));
      }
      assertEquals(arguments, template.arguments(), file.toString());
    }
  }

  @Test
  void rendersArgumentsAndFallbacks() {
    PromptTemplate template =
        PromptLibrary.parse(
            "t.md",
            """
            ---
            name: t
            description: "A test: with a colon"
            arguments:
              - name: goal
                description: the goal
                required: true
              - name: model
                required: false
                default: the production model
            ---
            Goal: {{goal}}; model: {{ model }}.
            """);
    assertEquals("A test: with a colon", template.description());
    assertEquals("Goal: x; model: the production model.\n", template.render(Map.of("goal", "x")));
    assertEquals("Goal: $1\\; model: m.\n", template.render(Map.of("goal", "$1\\", "model", "m")));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> template.render(Map.of()));
    assertTrue(missing.getMessage().contains("[goal]"), missing.getMessage());
  }

  @Test
  void badPromptFilesAreRefusedWithTheirName() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PromptLibrary.parse("a.md", "no front matter"))
            .getMessage()
            .startsWith("a.md"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> PromptLibrary.parse("b.md", "---\nname: b\ndescription: d\n---\nUses {{undeclared}}.\n"))
            .getMessage()
            .contains("undeclared"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> PromptLibrary.parse("c.md", "---\nname: c\n---\nx\n"))
            .getMessage()
            .contains("description"));
  }
}
