package net.b4mad.successor.datasets;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One copy of each distinct tool list. Every example from one agent offers the same tools, often kilobytes of
 * JSON schema, and parsed per example they were most of a build's memory (about 60% at 50,000 examples). The
 * shared nodes are never modified. Not thread-safe: one per build or file.
 */
final class SharedTools {

  private final Map<List<JsonNode>, List<JsonNode>> lists = new HashMap<>();

  DatasetExample share(DatasetExample example) {
    List<JsonNode> tools = lists.computeIfAbsent(example.tools(), given -> given);
    return tools == example.tools() ? example : new DatasetExample(example.id(), example.messages(), tools);
  }
}
