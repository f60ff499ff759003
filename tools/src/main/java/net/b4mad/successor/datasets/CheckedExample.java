package net.b4mad.successor.datasets;

import java.util.List;
import net.b4mad.successor.chat.RenderedChat;

/**
 * An example after {@link DatasetValidator#check}: its problems, and what checking it computed anyway, so that a
 * build renders and tokenizes each example once.
 *
 * @param rendered the Qwen3 rendering; null when the example is too malformed to render
 * @param tokens tokens of the rendering; -1 when unknown
 */
public record CheckedExample(DatasetExample example, RenderedChat rendered, int tokens, List<ValidationProblem> problems) {

  public CheckedExample {
    problems = List.copyOf(problems);
  }

  public boolean valid() {
    return problems.isEmpty();
  }
}
