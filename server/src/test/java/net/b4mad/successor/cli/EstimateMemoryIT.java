package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code successor train estimate-memory} from the built jar, on the real Qwen3 configs. */
class EstimateMemoryIT {

  @Test
  void printsTheBreakdownAndWhetherItFits() throws Exception {
    JarRun qlora = JarRun.of("train", "estimate-memory", "--model",
        JarRun.fixtures("qwen3-configs/Qwen3-8B.config.json").toString(), "--qlora");

    assertEquals(0, qlora.exitCode(), qlora.stderr());
    JsonNode report = Json.MAPPER.readTree(qlora.stdout());
    assertEquals("qlora", report.path("method").asString());
    assertEquals(7, report.path("setup").path("target_modules").size());
    assertEquals(24.0, report.path("gpu").path("gib").asDouble());
    assertTrue(report.path("fits").asBoolean(), qlora.stdout());
    long parts = 0;
    for (String part : new String[] {"base_weights", "adapter_weights", "gradients", "optimizer_state", "activations",
        "logits", "overhead"}) {
      parts += report.path("memory").path(part).path("bytes").asLong();
    }
    // the recomputed layer is smaller than the logits here, and never alive with them
    assertEquals(parts, report.path("memory").path("total").path("bytes").asLong());

    JarRun moe = JarRun.of("train", "estimate-memory", "--model",
        JarRun.fixtures("qwen3-configs/Qwen3-30B-A3B.config.json").toString(), "--qlora", "--gpu-gib", "24");
    assertEquals(0, moe.exitCode(), moe.stderr());
    assertFalse(Json.MAPPER.readTree(moe.stdout()).path("fits").asBoolean(), moe.stdout());

    JarRun typo = JarRun.of("train", "estimate-memory", "--model",
        JarRun.fixtures("qwen3-configs/Qwen3-8B.config.json").toString(), "--targets", "q_proj,qv_proj");
    assertEquals(2, typo.exitCode());
    assertTrue(typo.stderr().contains("'qv_proj' is not a Qwen3 projection"), typo.stderr());
  }
}
