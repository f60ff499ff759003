package net.b4mad.successor.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML subset prompt files use for front matter: {@code key: value} lines and one list of maps
 * ({@code arguments:} then {@code - name: ...} items with indented {@code key: value} lines). A YAML library
 * would add a tenth of a second to every server start; the test suite checks that this parser and a real YAML
 * parser read every bundled prompt the same way.
 */
record FrontMatter(Map<String, String> scalars, Map<String, List<Map<String, String>>> lists) {

  static FrontMatter parse(String fileName, String text) {
    Map<String, String> scalars = new LinkedHashMap<>();
    Map<String, List<Map<String, String>>> lists = new LinkedHashMap<>();
    List<Map<String, String>> currentList = null;
    Map<String, String> currentItem = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      if (indent == 0) {
        String[] pair = keyValue(fileName, i, trimmed);
        currentItem = null;
        if (pair[1].isEmpty()) {
          currentList = new ArrayList<>();
          lists.put(pair[0], currentList);
        } else {
          currentList = null;
          scalars.put(pair[0], pair[1]);
        }
      } else if (currentList != null && trimmed.startsWith("- ")) {
        currentItem = new LinkedHashMap<>();
        currentList.add(currentItem);
        String[] pair = keyValue(fileName, i, trimmed.substring(2).strip());
        currentItem.put(pair[0], pair[1]);
      } else if (currentItem != null) {
        String[] pair = keyValue(fileName, i, trimmed);
        currentItem.put(pair[0], pair[1]);
      } else {
        throw new IllegalArgumentException(fileName + ": front matter line " + (i + 2) + " is not understood: " + line);
      }
    }
    return new FrontMatter(scalars, lists);
  }

  private static String[] keyValue(String fileName, int index, String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          fileName + ": front matter line " + (index + 2) + " should be 'key: value': " + text);
    }
    return new String[] {text.substring(0, colon).strip(), unquote(text.substring(colon + 1).strip())};
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && ((value.startsWith("\"") && value.endsWith("\"")) || (value.startsWith("'") && value.endsWith("'")))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
