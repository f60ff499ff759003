package net.b4mad.successor.eval;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.JsonLines;

/**
 * A named list of cases with unique ids: a suite file (JSONL, one case per line) or an imported benchmark.
 *
 * @param path the file it was read from; null for a suite built in memory
 */
public record EvalSuite(String name, Path path, List<EvalCase> cases) {

  public EvalSuite {
    cases = List.copyOf(cases);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      Integer first = seen.putIfAbsent(cases.get(i).id(), i);
      if (first != null) {
        throw new IllegalArgumentException("suite " + name + ": cases " + (first + 1) + " and " + (i + 1)
            + " have the same id '" + cases.get(i).id() + "'; ids must be unique");
      }
    }
  }

  /**
   * Reads a suite file; its name is the file name without {@code .jsonl}. A problem is an
   * {@link IllegalArgumentException} as {@code file:line: what is wrong}.
   */
  public static EvalSuite read(Path file) {
    Map<String, String> seen = new HashMap<>();
    List<EvalCase> cases = JsonLines.read(file, (record, location) -> {
      EvalCase parsed = EvalCase.parse(record);
      String first = seen.putIfAbsent(parsed.id(), location);
      if (first != null) {
        throw new IllegalArgumentException("duplicate id '" + parsed.id() + "' (first on line "
            + first.substring(first.lastIndexOf(':') + 1) + "); ids must be unique");
      }
      return parsed;
    });
    String name = file.getFileName().toString();
    return new EvalSuite(name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name, file, cases);
  }
}
