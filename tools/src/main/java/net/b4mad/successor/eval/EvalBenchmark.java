package net.b4mad.successor.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.datasets.TokenCounter;
import net.b4mad.successor.generation.ChatGeneration;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import net.b4mad.successor.workspace.Workspace;

/**
 * {@code successor bench eval}: the B4mad suite answered by a tiny random Qwen3 (hidden 64, 2 layers, the bundled
 * 8k-merge tokenizer) with greedy decoding: cases per minute, and generated tokens per second. A random model
 * rarely emits a stop token, so each turn runs to {@code maxNewTokens}: the figure is the harness's cost per case
 * at that length, prompt prefill included.
 */
public final class EvalBenchmark {

  private EvalBenchmark() {}

  public static Map<String, Object> run(Path workDir, int maxNewTokens) {
    Path modelDir = workDir.resolve("tiny");
    Path tokenizerDir = workDir.resolve("tokenizer");
    try (InputStream in = EvalBenchmark.class.getResourceAsStream(TokenCounter.BUNDLED_RESOURCE)) {
      Files.createDirectories(tokenizerDir);
      Files.write(tokenizerDir.resolve(TokenizerFiles.TOKENIZER_JSON), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the bundled tokenizer: " + e.getMessage(), e);
    }
    TokenizerFiles tokenizer = TokenizerFiles.find(tokenizerDir);
    Qwen3Config config = new Qwen3Config(tokenizer.vocabSize(), 64, 128, 2, 4, 2, 32, 1e-6, 1_000_000.0, true, 40960,
        "float32", tokenizer.addedTokenId("<|endoftext|>"), List.of(tokenizer.addedTokenId("<|im_end|>")));
    RandomQwen3.write(modelDir, config, 5, tokenizer, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);

    List<EvalSuite> suites = new ArrayList<>();
    EvalSuites.of(Workspace.open(workDir.resolve("workspace"), List.of())).files()
        .forEach(file -> suites.add(EvalSettings.load(file)));
    int[] generated = {0};
    long start;
    EvalReport report;
    try (Qwen3Model model = Qwen3Model.load(modelDir); Qwen3Tokenizer loaded = Qwen3Tokenizer.load(modelDir)) {
      ChatGeneration generation = new ChatGeneration(model, loaded, modelDir);
      SamplingSettings greedy = SamplingSettings.greedy(maxNewTokens);
      start = System.nanoTime();
      report = new EvalRunner().run(suites, conversation -> {
        ChatGeneration.Completion completion = generation.complete(conversation, greedy, true, () -> false);
        generated[0] += completion.completionTokens();
        return completion.text();
      });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("cases", report.cases().size());
    figures.put("episode_cases", report.overall().episodeCases());
    figures.put("max_new_tokens", maxNewTokens);
    figures.put("seconds", seconds);
    figures.put("cases_per_min", report.cases().size() / (seconds / 60));
    figures.put("generated_tokens_per_s", generated[0] / seconds);
    figures.put("pass_rate_of_a_random_model", report.overall().passRate());
    return figures;
  }
}
