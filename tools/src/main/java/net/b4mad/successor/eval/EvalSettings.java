package net.b4mad.successor.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * What an eval job runs: the model (base directory, optional PEFT adapter), the suite files, how to generate
 * (greedy by default, so a run is repeatable and two models compare on the same footing), and an optional cap on
 * cases per suite. Paths are absolute by the time a job is queued.
 *
 * @param suites suite files: a {@code .jsonl} suite, or a BFCL questions file ({@code .json}) whose answers are
 *     found in a {@code possible_answer/} folder beside it (none for irrelevance questions)
 * @param limit at most this many cases of each suite, the first ones; null for all
 */
public record EvalSettings(String model, String adapter, List<String> suites, Double temperature, Double topP,
    Integer topK, Integer maxNewTokens, Long seed, Integer limit) {

  public EvalSettings {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model is required: the base model directory");
    }
    if (suites == null || suites.isEmpty()) {
      throw new IllegalArgumentException("suites is required: at least one suite file (eval_suites lists them)");
    }
    suites = List.copyOf(suites);
    temperature = temperature == null ? 0.0 : temperature;
    topP = topP == null ? 1.0 : topP;
    topK = topK == null ? 0 : topK;
    maxNewTokens = maxNewTokens == null ? 512 : maxNewTokens;
    seed = seed == null ? 0L : seed;
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    new SamplingSettings(temperature, topP, topK, seed, maxNewTokens); // refuses what it cannot sample with
  }

  public SamplingSettings sampling() {
    return new SamplingSettings(temperature, topP, topK, seed, maxNewTokens);
  }

  public static EvalSettings fromJson(JsonNode json) {
    try {
      return Json.MAPPER.treeToValue(json, EvalSettings.class);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw invalid;
      }
      throw new IllegalArgumentException("invalid eval settings: " + e.getMessage(), e);
    }
  }

  /** The suites, read (and cut to {@code limit}). */
  public List<EvalSuite> readSuites() {
    List<EvalSuite> read = new ArrayList<>();
    for (String suite : suites) {
      EvalSuite loaded = load(Path.of(suite));
      read.add(limit == null || loaded.cases().size() <= limit ? loaded
          : new EvalSuite(loaded.name(), loaded.path(), loaded.cases().subList(0, limit)));
    }
    return read;
  }

  /**
   * Reads a suite: a {@code .jsonl} suite, BFCL questions with the answers in {@code possible_answer/}, or a dataset
   * version folder, whose held-out split's assistant turns become the cases ({@link DatasetCases}).
   */
  public static EvalSuite load(Path file) {
    Path heldOut = file.resolve(DatasetStore.EVAL + ".jsonl");
    if (Files.isDirectory(file) && Files.isRegularFile(heldOut)) {
      String name = file.getParent() == null ? file.getFileName().toString()
          : file.getParent().getFileName() + "@" + file.getFileName() + " held-out";
      return new EvalSuite(name, heldOut, DatasetCases.convert(DatasetCases.read(heldOut)).cases());
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no suite file at " + file);
    }
    if (file.getFileName().toString().endsWith(".jsonl")) {
      return EvalSuite.read(file);
    }
    Path answers = file.resolveSibling("possible_answer").resolve(file.getFileName());
    return BfclSuite.read(file, Files.isRegularFile(answers) ? answers : null);
  }
}
