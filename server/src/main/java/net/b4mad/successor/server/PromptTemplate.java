package net.b4mad.successor.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MCP prompt, written as a Markdown file whose front matter gives its name, description and arguments;
 * the body uses {@code {{argument}}} placeholders.
 */
public record PromptTemplate(String name, String title, String description, List<Argument> arguments, String body) {

  static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");

  /** @param fallback the text used when an optional argument is not given */
  public record Argument(String name, String description, boolean required, String fallback) {}

  public PromptTemplate {
    arguments = List.copyOf(arguments);
    Set<String> declared = new LinkedHashSet<>();
    for (Argument argument : arguments) {
      declared.add(argument.name());
    }
    Matcher matcher = PLACEHOLDER.matcher(body);
    while (matcher.find()) {
      if (!declared.contains(matcher.group(1))) {
        throw new IllegalArgumentException(
            "prompt '" + name + "' uses {{" + matcher.group(1) + "}} but declares no such argument");
      }
    }
  }

  /** Fills the placeholders; a missing required argument is an error that names it. */
  public String render(Map<String, String> given) {
    List<String> missing = new ArrayList<>();
    for (Argument argument : arguments) {
      String value = given.get(argument.name());
      if (argument.required() && (value == null || value.isBlank())) {
        missing.add(argument.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("prompt '" + name + "' needs the argument(s) " + missing);
    }
    Matcher matcher = PLACEHOLDER.matcher(body);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String argumentName = matcher.group(1);
      String value = given.get(argumentName);
      if (value == null || value.isBlank()) {
        value = arguments.stream().filter(a -> a.name().equals(argumentName)).findFirst().orElseThrow().fallback();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
