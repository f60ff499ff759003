package net.b4mad.successor.pairs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.eval.DatasetCases;
import net.b4mad.successor.eval.EvalCase;
import net.b4mad.successor.eval.EvalSettings;
import net.b4mad.successor.eval.EvalSuite;
import net.b4mad.successor.eval.Expectation;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * What a {@code pairs} job runs: the model that answers (base directory, optional PEFT adapter), where the prompts
 * come from (suite files, or a dataset version folder or JSONL file of examples), how many answers to sample per
 * prompt and how, and the dataset the pairs are written to. Paths are absolute by the time a job is queued.
 *
 * @param dataset a dataset version folder (its {@code split}.jsonl is read) or a JSONL file of {messages, tools}
 * @param source what the prompts came from, as a person names it ({@code tools@3f9a1c2b7d4e}, a suite name)
 * @param name the dataset the pairs become a version of
 * @param limit at most this many prompts, the first ones; null for all
 * @param useGoldWhenNonePass when no sample passes, take the prompt's gold answer as the chosen one
 */
public record PairsSettings(String model, String adapter, List<String> suites, String dataset, String split,
    String source, String name, Integer samples, Double temperature, Double topP, Integer topK, Integer maxNewTokens,
    Long seed, Integer limit, Boolean useGoldWhenNonePass) {

  public static final int MAX_SAMPLES = 64;

  public PairsSettings {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model is required: the base model directory");
    }
    suites = suites == null ? List.of() : List.copyOf(suites);
    if (suites.isEmpty() == (dataset == null)) {
      throw new IllegalArgumentException("give either suite (eval_suites lists them) or dataset (a dataset version or"
          + " a JSONL file of {messages, tools}) as the prompts, not " + (suites.isEmpty() ? "neither" : "both"));
    }
    split = split == null ? DatasetStore.TRAIN : split;
    if (!DatasetStore.SPLITS.contains(split)) {
      throw new IllegalArgumentException("split must be one of " + DatasetStore.SPLITS + ", got " + split);
    }
    DatasetStore.checkName(name);
    samples = samples == null ? 4 : samples;
    useGoldWhenNonePass = useGoldWhenNonePass != null && useGoldWhenNonePass;
    if (samples < 1 || samples > MAX_SAMPLES) {
      throw new IllegalArgumentException("samples must be between 1 and " + MAX_SAMPLES + ", got " + samples);
    }
    if (samples == 1 && !useGoldWhenNonePass) {
      throw new IllegalArgumentException("samples 1 can never give a passing and a failing answer: sample at least 2,"
          + " or set use_gold_when_none_pass to pair the gold answer with a failing sample");
    }
    temperature = temperature == null ? 0.8 : temperature;
    if (temperature == 0 && samples > 1) {
      throw new IllegalArgumentException("temperature 0 is greedy: every sample of a prompt would be the same answer."
          + " Sample with a temperature above 0 (default 0.8)");
    }
    topP = topP == null ? 0.95 : topP;
    topK = topK == null ? 20 : topK;
    maxNewTokens = maxNewTokens == null ? 512 : maxNewTokens;
    seed = seed == null ? 0L : seed;
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    new SamplingSettings(temperature, topP, topK, seed, maxNewTokens); // refuses what it cannot sample with
  }

  /** The sampling settings with one sample's own seed. */
  public SamplingSettings sampling(long sampleSeed) {
    return new SamplingSettings(temperature, topP, topK, sampleSeed, maxNewTokens);
  }

  /**
   * A sample's seed: from the run's seed, the prompt's id and the sample's index, so that a prompt gets the same
   * samples whatever else the run holds (a limit, another suite).
   */
  public long sampleSeed(String promptId, int sample) {
    long mixed = seed * 0x9E3779B97F4A7C15L + promptId.hashCode();
    return mixed * 0x9E3779B97F4A7C15L + sample;
  }

  public static PairsSettings fromJson(JsonNode json) {
    try {
      return Json.MAPPER.treeToValue(json, PairsSettings.class);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      if (e.getCause() instanceof IllegalArgumentException invalid) {
        throw invalid;
      }
      throw new IllegalArgumentException("invalid preference pair settings: " + e.getMessage(), e);
    }
  }

  /** One prompt: a single-turn case and the suite (or dataset) it came from; {@code id} names its pair. */
  public record Prompt(String id, String suite, EvalCase evalCase) {}

  /**
   * The prompts, and what was left out: episodes (multi-turn; one sample is not one answer) and dataset turns
   * that could not become a case, each with why.
   */
  public record Prompts(List<Prompt> prompts, int episodes, List<String> skipped) {}

  /** Reads the suites or the dataset, cut to {@code limit}. */
  public Prompts prompts() {
    List<Prompt> prompts = new ArrayList<>();
    int episodes = 0;
    List<String> skipped = new ArrayList<>();
    if (dataset != null) {
      Path path = Path.of(dataset);
      Path file = Files.isDirectory(path) ? path.resolve(split + ".jsonl") : path;
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no dataset file at " + file);
      }
      DatasetCases.Conversion conversion = DatasetCases.convert(DatasetCases.read(file));
      conversion.cases().forEach(c -> prompts.add(new Prompt(c.id(), source, c)));
      skipped.addAll(conversion.skipped());
    } else {
      for (String suiteFile : suites) {
        EvalSuite suite = EvalSettings.load(Path.of(suiteFile));
        for (EvalCase evalCase : suite.cases()) {
          if (evalCase.expectation() instanceof Expectation.Episode) {
            episodes++;
          } else {
            prompts.add(new Prompt(suite.name() + "/" + evalCase.id(), suite.name(), evalCase));
          }
        }
      }
    }
    return new Prompts(limit == null || prompts.size() <= limit ? prompts : prompts.subList(0, limit), episodes, skipped);
  }
}
