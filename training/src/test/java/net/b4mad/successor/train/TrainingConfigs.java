package net.b4mad.successor.train;

import net.b4mad.successor.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** Training configs for tests, from key/value pairs as in config.json. */
final class TrainingConfigs {

  private TrainingConfigs() {}

  static TrainingConfig of(Object... keyValues) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    for (int i = 0; i < keyValues.length; i += 2) {
      json.set((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
    }
    return TrainingConfig.fromJson(json);
  }
}
