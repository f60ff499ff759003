package net.b4mad.successor.server;

import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.files.BundledFiles;

/** The MCP prompts: every Markdown file of the top-level {@code prompts/} folder, bundled into the jar. */
public final class PromptLibrary {

  public static final String RESOURCE_DIR = "prompts";

  private final List<PromptTemplate> templates;

  public PromptLibrary(List<PromptTemplate> templates) {
    this.templates = List.copyOf(templates);
  }

  public List<PromptTemplate> templates() {
    return templates;
  }

  /** Loads the prompts bundled on the class path (a folder in development, jar entries in the shaded jar). */
  public static PromptLibrary bundled() {
    List<PromptTemplate> templates = new ArrayList<>();
    BundledFiles.read(PromptLibrary.class, RESOURCE_DIR, ".md")
        .forEach((name, bytes) -> templates.add(parse(name, new String(bytes, StandardCharsets.UTF_8))));
    return new PromptLibrary(templates);
  }

  /** Parses {@code ---}-delimited front matter (name, title, description, arguments) and the body. */
  static PromptTemplate parse(String fileName, String markdown) {
    String text = markdown.replace("\r\n", "\n");
    if (!text.startsWith("---\n")) {
      throw new IllegalArgumentException(fileName + ": a prompt file must start with '---' front matter");
    }
    int end = text.indexOf("\n---\n", 3);
    if (end < 0) {
      throw new IllegalArgumentException(fileName + ": the front matter has no closing '---'");
    }
    FrontMatter front = FrontMatter.parse(fileName, text.substring(4, end + 1));
    String name = front.scalars().getOrDefault("name", "");
    String description = front.scalars().getOrDefault("description", "");
    if (name.isBlank() || description.isBlank()) {
      throw new IllegalArgumentException(fileName + ": the front matter needs 'name' and 'description'");
    }
    List<PromptTemplate.Argument> arguments = new ArrayList<>();
    for (Map<String, String> argument : front.lists().getOrDefault("arguments", List.of())) {
      arguments.add(
          new PromptTemplate.Argument(
              argument.getOrDefault("name", ""),
              argument.getOrDefault("description", ""),
              Boolean.parseBoolean(argument.getOrDefault("required", "false")),
              argument.getOrDefault("default", "")));
    }
    return new PromptTemplate(
        name, front.scalars().get("title"), description, arguments, text.substring(end + 5).strip() + "\n");
  }

  public List<SyncPromptSpecification> specifications() {
    return templates.stream().map(PromptLibrary::specification).toList();
  }

  private static SyncPromptSpecification specification(PromptTemplate template) {
    McpSchema.Prompt prompt =
        new McpSchema.Prompt(
            template.name(),
            template.title(),
            template.description(),
            template.arguments().stream()
                .map(a -> new McpSchema.PromptArgument(a.name(), a.description(), a.required()))
                .toList());
    return new SyncPromptSpecification(
        prompt,
        (exchange, request) -> {
          Map<String, String> given = new HashMap<>();
          if (request.arguments() != null) {
            request.arguments().forEach((key, value) -> given.put(key, value == null ? null : value.toString()));
          }
          String text;
          try {
            text = template.render(given);
          } catch (IllegalArgumentException e) {
            throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(e.getMessage()).build();
          }
          return new McpSchema.GetPromptResult(
              template.description(),
              List.of(new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent(text))));
        });
  }
}
