package net.b4mad.successor.generation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * A model's {@code generation_config.json}: its end-of-sequence ids and, when it samples, its recommended
 * temperature, top-p and top-k (Qwen3 ships 0.6 / 0.95 / 20). Absent file: no extra stop ids, greedy.
 */
public record GenerationConfig(List<Integer> eosTokenIds, boolean doSample, double temperature, double topP, int topK) {

  public static final String FILE = "generation_config.json";

  public static GenerationConfig read(Path modelDir) {
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return new GenerationConfig(List.of(), false, 0, 1, 0);
    }
    JsonNode json = Json.readTree(file);
    List<Integer> eos = new ArrayList<>();
    JsonNode eosNode = json.path("eos_token_id");
    if (eosNode.isArray()) {
      eosNode.forEach(id -> eos.add(id.asInt()));
    } else if (eosNode.isNumber()) {
      eos.add(eosNode.asInt());
    }
    boolean sample = json.path("do_sample").asBoolean(false);
    return new GenerationConfig(
        List.copyOf(eos),
        sample,
        sample ? json.path("temperature").asDouble(1.0) : 0,
        json.path("top_p").asDouble(1.0),
        json.path("top_k").asInt(0));
  }
}
