package net.b4mad.successor.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {

  @TempDir Path dir;

  @Test
  void readsQwen3sShippedSettings() throws Exception {
    Files.writeString(
        dir.resolve("generation_config.json"),
        "{\"bos_token_id\": 151643, \"do_sample\": true, \"eos_token_id\": [151645, 151643],"
            + " \"pad_token_id\": 151643, \"temperature\": 0.6, \"top_k\": 20, \"top_p\": 0.95}");
    assertEquals(new GenerationConfig(List.of(151645, 151643), true, 0.6, 0.95, 20), GenerationConfig.read(dir));
  }

  @Test
  void aMissingFileMeansGreedyWithNoExtraStops() {
    GenerationConfig config = GenerationConfig.read(dir);
    assertFalse(config.doSample());
    assertEquals(List.of(), config.eosTokenIds());
    assertEquals(0, config.temperature());
  }

  @Test
  void brokenJsonIsReportedWithTheFile() throws Exception {
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": ");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenerationConfig.read(dir));
    assertEquals(true, e.getMessage().contains("generation_config.json is not valid JSON"), e.getMessage());
  }
}
