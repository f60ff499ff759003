package net.b4mad.successor.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;

class WatcherTest {

  private static Bead bead(String description) {
    return Json.MAPPER.convertValue(Json.MAPPER.createObjectNode()
        .put("id", "b4-1").put("title", "Retrain").put("status", "open").put("priority", 2).put("description", description),
        Bead.class);
  }

  @Test
  void settingsComeFromTheDescriptionOrItsJsonBlock() {
    assertEquals("/m", Watcher.settings(bead("{\"model\": \"/m\"}")).path("model").asString());
    assertEquals(200, Watcher.settings(bead("Retrain on this week's traces.\n\n```json\n{\"model\": \"/m\","
        + " \"sft\": {\"max_steps\": 200}}\n```\nThanks")).path("sft").path("max_steps").asInt());
    for (String bad : List.of("Retrain please", "{\"model\": ", "```json\n[1, 2]\n```")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Watcher.settings(bead(bad)));
      assertTrue(e.getMessage().startsWith("its "), e.getMessage());
    }
  }
}
