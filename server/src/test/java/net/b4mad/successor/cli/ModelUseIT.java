package net.b4mad.successor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code model score} and {@code generate} from the built jar, on the fixtures and a fresh tiny model. */
class ModelUseIT {

  @TempDir Path dir;

  @Test
  void scoreAgreesWithTheReferenceLogprobs() throws Exception {
    Path model = JarRun.fixtures("qwen3-tiny/tied-bf16");
    JsonNode expected = Json.MAPPER.readTree(Files.readString(model.resolve("expected_logprobs.json")));
    List<String> ids = new ArrayList<>();
    expected.path("token_ids").forEach(id -> ids.add(id.asString()));

    JarRun run = JarRun.of("model", "score", "--model", model.toString(), "--token-ids", String.join(",", ids));

    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode logprobs = Json.MAPPER.readTree(run.stdout()).path("logprobs");
    assertEquals(ids.size() - 1, logprobs.size());
    for (int t = 0; t < logprobs.size(); t++) {
      assertEquals(expected.path("logprobs").get(t).asDouble(), logprobs.get(t).asDouble(), 1e-4, "position " + t);
    }
  }

  @Test
  void generatesTheNextTurnAndParsesIt() throws Exception {
    Path model = dir.resolve("tiny");
    JarRun init =
        JarRun.of("model", "init", "--out", model.toString(), "--seed", "5", "--tokenizer",
            JarRun.fixtures("qwen3-tokenizer-8k").toString());
    assertEquals(0, init.exitCode(), init.stderr());
    Path chat = dir.resolve("chat.json");
    Files.writeString(
        chat,
        """
        {"messages": [{"role": "user", "content": "Close bead b4-12."}],
         "tools": [{"type": "function", "function": {"name": "bd_close", "parameters": {"type": "object"}}}],
         "enable_thinking": false}
        """);

    JarRun run =
        JarRun.of("generate", "--model", model.toString(), "--chat", chat.toString(), "--max-new-tokens", "12",
            "--temperature", "0.8", "--seed", "3");

    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode result = Json.MAPPER.readTree(run.stdout());
    int produced = result.path("completion_tokens").asInt();
    assertTrue(produced >= 1 && produced <= 12, run.stdout());
    assertTrue(List.of("max_new_tokens", "stop_token").contains(result.path("stop_reason").asString()));
    assertTrue(result.path("prompt_tokens").asInt() > 20, run.stdout());
    assertTrue(result.path("tool_calls").isArray());

    JarRun noTokenizer =
        JarRun.of("generate", "--model", JarRun.fixtures("qwen3-tiny/tied-bf16").toString(), "--chat", chat.toString());
    assertEquals(2, noTokenizer.exitCode());
    assertTrue(noTokenizer.stderr().contains("no tokenizer.json"), noTokenizer.stderr());
  }
}
