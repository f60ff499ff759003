package net.b4mad.successor.pairs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.datasets.DatasetManifest;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.eval.EvalCase;
import net.b4mad.successor.eval.EvalRunner;
import net.b4mad.successor.eval.GoldResponder;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.generation.ChatGeneration;
import net.b4mad.successor.generation.SamplingSettings;
import net.b4mad.successor.jobs.JobRunner;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraAdapter;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.workspace.Workspace;

/**
 * {@code pairs} jobs: the model answers every prompt N times, the eval checker judges each answer, and each prompt
 * with a passing and a failing answer yields a preference pair (best passing over worst failing). The pairs
 * become a version of a dataset whose {@code train.jsonl} {@code train_dpo} takes as it is. Progress goes to
 * {@code metrics.jsonl} as step (prompts done) of total; the counts go to {@code result.json}.
 */
public final class PairsJobRunner implements JobRunner {

  public static final String KIND = "pairs";

  static final DatasetManifest.Format FORMAT = new DatasetManifest.Format("trl-preference-jsonl",
      Map.of("train", "train.jsonl", "eval", "eval.jsonl"),
      "One JSON object per line: {\"id\", \"category\", \"prompt\": [messages], \"tools\", \"chosen\": {assistant"
          + " message}, \"rejected\": {assistant message}, \"scores\": {\"chosen\", \"rejected\"}, \"chosen_from\"},"
          + " TRL's conversational preference form with tool calls as OpenAI tool_calls (arguments as JSON objects)."
          + " train_dpo and TRL's DPOTrainer read it; the extra fields are ignored. eval.jsonl is empty.");

  static final String SCORING = "1 for an answer that passes the eval checker; a failing one gets 0.25 for each of"
      + " json_valid, tool_selection and arguments. chosen: the best passing sample (or the gold answer, with"
      + " use_gold_when_none_pass, when none passes); rejected: the worst failing sample; ties go to the lower"
      + " sample index.";

  /** Writes candidate answers: the model in a job, a script in tests. */
  public interface Sampler extends AutoCloseable {

    /** The raw completion of CONVERSATION's next assistant turn, as {@link ChatGeneration} returns it. */
    String sample(Conversation conversation, SamplingSettings sampling, BooleanSupplier stop);

    @Override
    void close();
  }

  /** How the prompts of one category (or all) went. */
  public record Counts(int prompts, int pairs, int allPassed, int allFailed, int goldChosen) {

    static final Counts NONE = new Counts(0, 0, 0, 0, 0);

    Counts plus(int passing, int failing, Optional<PairChoice> pair) {
      return new Counts(prompts + 1, pairs + (pair.isPresent() ? 1 : 0), allPassed + (failing == 0 ? 1 : 0),
          allFailed + (passing == 0 ? 1 : 0), goldChosen + (pair.isPresent() && pair.get().chosen().gold() ? 1 : 0));
    }
  }

  private final Workspace workspace;
  private final Function<PairsSettings, Sampler> samplers;

  public PairsJobRunner(Workspace workspace) {
    this(workspace, PairsJobRunner::modelSampler);
  }

  /** @param samplers opens the sampler of a job's settings; closed when the job ends */
  public PairsJobRunner(Workspace workspace, Function<PairsSettings, Sampler> samplers) {
    this.workspace = workspace;
    this.samplers = samplers;
  }

  @Override
  public List<String> kinds() {
    return List.of(KIND);
  }

  @Override
  public void check(JobSpec spec) {
    PairsSettings.Prompts prompts = PairsSettings.fromJson(spec.settings()).prompts();
    if (prompts.prompts().isEmpty()) {
      throw new IllegalArgumentException("there are no prompts to sample: " + (prompts.episodes() > 0
          ? prompts.episodes() + " episode case(s) were left out (multi-turn episodes cannot be paired)"
          : "the dataset has no assistant turn that answers a user or tool message") + skippedNote(prompts));
    }
  }

  @Override
  public Outcome run(JobSpec spec, Path runDir, boolean resume, Control control) {
    PairsSettings settings = PairsSettings.fromJson(spec.settings());
    PairsSettings.Prompts prompts = settings.prompts();
    int total = prompts.prompts().size();
    control.log("sampling " + settings.samples() + " answers to each of " + total + " prompts from " + settings.source()
        + " with " + settings.model() + (settings.adapter() == null ? "" : " + " + settings.adapter())
        + (prompts.episodes() > 0 ? "; " + prompts.episodes() + " episode case(s) left out" : "") + skippedNote(prompts));
    prompts.skipped().forEach(skipped -> control.log("left out " + skipped));
    List<String> lines = new ArrayList<>();
    Counts overall = Counts.NONE;
    Map<String, Counts> categories = new TreeMap<>();
    EvalRunner checker = new EvalRunner();
    long started = System.nanoTime();
    try (Sampler sampler = samplers.apply(settings)) {
      for (PairsSettings.Prompt prompt : prompts.prompts()) {
        if (control.stopRequested()) {
          return new Outcome(JobState.CANCELLED, "stopped after " + overall.prompts() + " of " + total
              + " prompts; nothing was written (queue it again to start over)", Map.of());
        }
        EvalCase evalCase = prompt.evalCase();
        List<Candidate> samples = new ArrayList<>();
        for (int i = 0; i < settings.samples(); i++) {
          String text = sampler.sample(evalCase.conversation(),
              settings.sampling(settings.sampleSeed(prompt.id(), i)), control::stopRequested);
          samples.add(new Candidate(i, text, checker.runCase(prompt.suite(), evalCase, conversation -> text)));
        }
        Candidate gold = null;
        if (settings.useGoldWhenNonePass() && !evalCase.gold().isEmpty()) {
          String text = GoldResponder.render(evalCase.gold().get(0));
          gold = new Candidate(Candidate.GOLD, text, checker.runCase(prompt.suite(), evalCase, conversation -> text));
        }
        Optional<PairChoice> pair = PairChoice.of(samples, gold);
        pair.ifPresent(choice -> lines.add(choice.line(prompt)));
        int passing = (int) samples.stream().filter(c -> c.result().passed()).count();
        int failing = samples.size() - passing;
        overall = overall.plus(passing, failing, pair);
        categories.put(evalCase.category(),
            categories.getOrDefault(evalCase.category(), Counts.NONE).plus(passing, failing, pair));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("step", overall.prompts());
        metrics.put("total_steps", total);
        metrics.put("pairs", overall.pairs());
        metrics.put("prompts_per_min", overall.prompts() / ((System.nanoTime() - started) / 6e10));
        RunDirectory.appendMetrics(runDir, metrics);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    String summary = overall.pairs() + " of " + total + " prompts yielded a pair (" + overall.allPassed()
        + " all passed, " + overall.allFailed() + " all failed" + (settings.useGoldWhenNonePass()
            ? ", " + overall.goldChosen() + " with the gold answer chosen" : "") + ")";
    if (lines.isEmpty()) {
      summary += "; no dataset written: sample more answers (samples), at a higher temperature, or set"
          + " use_gold_when_none_pass";
    } else {
      Map<String, Object> written = write(settings, prompts, lines, overall, categories);
      result.putAll(written);
      linkSplits(Path.of(written.get("path").toString()), runDir);
      summary += "; dataset " + written.get("ref");
    }
    result.put("prompts", total);
    result.put("prompts_with_pair", overall.pairs());
    result.put("all_passed", overall.allPassed());
    result.put("all_failed", overall.allFailed());
    result.put("gold_chosen", overall.goldChosen());
    result.put("episodes_skipped", prompts.episodes());
    result.put("turns_skipped", prompts.skipped().size());
    result.put("categories", categories);
    result.put("summary", summary);
    AtomicFiles.writeStringUnchecked(runDir.resolve(RunDirectory.RESULT), Json.writePretty(result) + "\n");
    return new Outcome(JobState.SUCCEEDED, summary, result);
  }

  /**
   * Makes the run directory a dataset folder too (hard links to the version's splits, a copy where links are
   * refused), so that a DPO job queued before this one ran, as a pipeline queues it, can name it as its dataset.
   */
  private static void linkSplits(Path version, Path runDir) {
    for (String split : DatasetStore.SPLITS) {
      Path source = version.resolve(split + ".jsonl");
      Path link = runDir.resolve(split + ".jsonl");
      try {
        Files.deleteIfExists(link);
        try {
          Files.createLink(link, source);
        } catch (IOException | UnsupportedOperationException e) {
          AtomicFiles.write(link, Files.readAllBytes(source));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot place " + source + " in " + runDir + ": " + e.getMessage(), e);
      }
    }
  }

  private static String skippedNote(PairsSettings.Prompts prompts) {
    return prompts.skipped().isEmpty() ? "" : "; " + prompts.skipped().size() + " dataset turn(s) could not become a"
        + " prompt (see the job log)";
  }

  /** Writes the pairs as a new version of the settings' dataset; returns where it went. */
  private Map<String, Object> write(PairsSettings settings, PairsSettings.Prompts prompts, List<String> lines,
      Counts overall, Map<String, Counts> categories) {
    DatasetStore store = new DatasetStore(workspace);
    Map<String, Object> recipe = new LinkedHashMap<>();
    recipe.put("source", settings.source());
    recipe.put("suites", settings.suites());
    recipe.put("dataset", settings.dataset());
    recipe.put("split", settings.dataset() == null ? null : settings.split());
    recipe.put("model", settings.model());
    recipe.put("adapter", settings.adapter());
    recipe.put("samples_per_prompt", settings.samples());
    recipe.put("sampling", Map.of("temperature", settings.temperature(), "top_p", settings.topP(),
        "top_k", settings.topK(), "max_new_tokens", settings.maxNewTokens(), "seed", settings.seed(),
        "sample_seeds", "derived from seed, the prompt's id and the sample's index"));
    recipe.put("limit", settings.limit());
    recipe.put("use_gold_when_none_pass", settings.useGoldWhenNonePass());
    try (DatasetStore.Draft draft = store.draft(settings.name())) {
      String trainSha = draft.writeLines(DatasetStore.TRAIN, lines);
      String evalSha = draft.writeLines(DatasetStore.EVAL, List.of());
      String hash = Json.contentHash(Map.of("train", trainSha, "eval", evalSha, "recipe", recipe));
      String version = hash.substring(0, 12);
      Instant now = Instant.now();
      Map<String, Object> manifest = new LinkedHashMap<>();
      manifest.put("name", settings.name());
      manifest.put("version", version);
      manifest.put("ref", settings.name() + "@" + version);
      manifest.put("created_at", now.toString());
      manifest.put("content_hash", hash);
      manifest.put("format", FORMAT);
      manifest.put("recipe", recipe);
      manifest.put("scoring", SCORING);
      manifest.put("counts", Map.of("train", lines.size(), "eval", 0));
      manifest.put("prompts", overall.prompts());
      manifest.put("prompts_with_pair", overall.pairs());
      manifest.put("all_passed", overall.allPassed());
      manifest.put("all_failed", overall.allFailed());
      manifest.put("gold_chosen", overall.goldChosen());
      manifest.put("episodes_skipped", prompts.episodes());
      manifest.put("turns_skipped", prompts.skipped());
      manifest.put("categories", categories);
      boolean created = draft.commit(version, Json.writePretty(manifest) + "\n", now);
      DatasetStore.VersionRef ref = store.resolve(settings.name() + "@" + version);
      Map<String, Object> written = new LinkedHashMap<>();
      written.put("dataset", settings.name());
      written.put("version", version);
      written.put("ref", ref.ref());
      written.put("path", ref.dir().toString());
      written.put("created", created);
      return written;
    }
  }

  /** The model (with its adapter) answering with {@link ChatGeneration}, the KV cache on. */
  private static Sampler modelSampler(PairsSettings settings) {
    Path modelDir = Path.of(settings.model());
    Qwen3Tokenizer tokenizer = Qwen3Tokenizer.load(modelDir);
    Qwen3Model model;
    try {
      model = LoraAdapter.loadModel(modelDir, settings.adapter() == null ? null : Path.of(settings.adapter()));
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    ChatGeneration generation = new ChatGeneration(model, tokenizer, modelDir);
    return new Sampler() {
      @Override
      public String sample(Conversation conversation, SamplingSettings sampling, BooleanSupplier stop) {
        return generation.complete(conversation, sampling, true, stop).text();
      }

      @Override
      public void close() {
        model.close();
        tokenizer.close();
      }
    };
  }
}
