package net.b4mad.successor.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.traces.Trace;
import net.b4mad.successor.traces.TraceFilter;
import net.b4mad.successor.traces.TraceMetadata;
import net.b4mad.successor.traces.TraceStore;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * Makes dataset versions. A build runs: select traces and read gold files; validate, render and tokenize every
 * example once (in parallel); leave out invalid ones; drop duplicates (gold examples first, so a trace that
 * repeats a gold example is the one dropped); sample the mix-in files; split by group; write the version.
 *
 * <p>The version name is the first 12 hex digits of the SHA-256 over both files' contents and the recipe (the
 * build parameters, with the gold and mix-in files' hashes), so the same inputs give the same version and
 * building twice writes nothing the second time.
 */
public final class DatasetBuilder {

  /** Lists in tool results stop here; the manifest has them all. */
  public static final int MAX_LISTED = 50;

  private static final Pattern SCRUB_PLACEHOLDER = Pattern.compile("\\[REDACTED(?:[_:]([A-Za-z0-9_]+))?]");

  private final Workspace workspace;
  private final DatasetStore store;

  public DatasetBuilder(Workspace workspace) {
    this.workspace = workspace;
    this.store = new DatasetStore(workspace);
  }

  public DatasetStore store() {
    return store;
  }

  /** An example waiting to be checked, and what the split needs to know about where it came from. */
  private record Candidate(DatasetExample example, String origin, String session, List<String> beads, boolean toEval) {}

  /** A checked candidate: its problems and what deduplication and statistics need, computed once. */
  private record Prepared(Candidate candidate, List<ValidationProblem> problems, int tokens, long exactKey, int[] signature) {

    String id() {
      return candidate.example().id();
    }
  }

  public BuildResult build(BuildRequest request, TokenCounter tokens, ToolContext context) {
    // Sources. Traces in id order, so their order in the store does not change the version.
    List<Candidate> candidates = new ArrayList<>();
    List<ValidationProblem> unreadable = new ArrayList<>();
    List<DatasetManifest.FileSource> goldSources = new ArrayList<>();
    List<Map<String, Object>> goldRecipe = new ArrayList<>();
    for (BuildRequest.GoldFile gold : request.goldFiles()) {
      ExampleFile.Contents contents = readFile(gold.path(), "gold", unreadable);
      contents.examples().forEach(e -> candidates.add(new Candidate(e, "gold", null, List.of(), gold.eval())));
      String sha = sha256(gold.path());
      goldSources.add(new DatasetManifest.FileSource(gold.path().toString(), sha, gold.eval(), null,
          contents.examples().size(), 0));
      goldRecipe.add(orderedMap("path", gold.path().toString(), "sha256", sha, "eval", gold.eval()));
    }
    TraceStore traces = new TraceStore(workspace.store());
    Set<String> heldOutIds = null;
    if (request.traces() != null) {
      List<Trace> selected = new ArrayList<>(traces.select(request.traces()));
      checkAllFound(request.traces().ids(), selected);
      selected.sort(Comparator.comparing(Trace::id));
      SharedTools shared = new SharedTools();
      for (Trace trace : selected) {
        TraceMetadata meta = trace.metadata();
        candidates.add(new Candidate(shared.share(DatasetExample.fromTrace(trace)), "trace",
            meta == null ? null : meta.sessionId(), meta == null ? List.of() : meta.beadIds(), false));
      }
      // The examples hold what is needed now; at 50,000 traces the records are a few hundred MiB more.
      selected.clear();
      if (request.heldOut() != null) {
        heldOutIds = traces.select(request.heldOut()).stream().map(Trace::id).collect(Collectors.toSet());
      }
    } else if (request.heldOut() != null) {
      throw new IllegalArgumentException("held_out selects traces for eval, but this build uses no traces");
    }
    if (candidates.isEmpty() && unreadable.isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to build: " + (request.traces() == null ? "traces were left out" : "no trace matches the filter")
              + (request.goldFiles().isEmpty() ? " and no gold_files were given" : " and the gold files hold no examples")
              + ". Check the filter with the traces tools, or give gold_files.");
    }

    // Check every example once: problems, tokens, and the keys deduplication needs.
    context.progress(0, 4.0, "checking " + candidates.size() + " examples");
    DatasetValidator validator = new DatasetValidator(tokens, request.maxTokens());
    boolean near = request.dedupe() && !Double.isNaN(request.nearThreshold());
    List<Prepared> prepared = prepare(candidates, validator, near, context);

    List<ValidationProblem> problems = new ArrayList<>(unreadable);
    int invalidExcluded = unreadable.size();
    int invalidKept = 0;
    List<Prepared> valid = new ArrayList<>();
    for (Prepared example : prepared) {
      if (example.problems().isEmpty()) {
        valid.add(example);
        continue;
      }
      problems.addAll(example.problems());
      if (request.onInvalid().equals("keep")) {
        valid.add(example);
        invalidKept++;
      } else {
        invalidExcluded++;
      }
    }
    if (request.onInvalid().equals("fail") && !problems.isEmpty()) {
      ValidationReport report = ValidationReport.of(problems, prepared.size() + unreadable.size(), invalidExcluded, 5);
      throw new IllegalArgumentException(
          invalidExcluded + " example(s) failed validation " + report.problemsByKind() + ", e.g. "
              + report.problems().stream().map(p -> p.exampleId() + ": " + p.message()).collect(Collectors.joining("; "))
              + ". Fix them, or build with on_invalid: exclude to leave them out. dataset_validate on the files lists all.");
    }

    // Duplicates, before the split so that no copy of an eval example trains.
    context.checkCancelled();
    context.progress(1, 4.0, "removing duplicates");
    DuplicateFilter filter = request.dedupe() ? new DuplicateFilter(near ? request.nearThreshold() : Double.NaN) : null;
    List<DuplicateRemoval> removed = new ArrayList<>();
    List<Prepared> kept = new ArrayList<>();
    for (Prepared example : valid) {
      DuplicateRemoval removal = filter == null ? null : filter.offer(example.id(), example.exactKey(), example.signature());
      if (removal == null) {
        kept.add(example);
      } else {
        removed.add(removal);
      }
    }

    // Mix-in data, sampled against the number of the dataset's own examples.
    int ownExamples = kept.size();
    List<DatasetManifest.FileSource> mixSources = new ArrayList<>();
    List<Map<String, Object>> mixRecipe = new ArrayList<>();
    for (int i = 0; i < request.mixIns().size(); i++) {
      BuildRequest.MixIn mixIn = request.mixIns().get(i);
      List<ValidationProblem> mixUnreadable = new ArrayList<>();
      ExampleFile.Contents contents = readFile(mixIn.path(), "mix", mixUnreadable);
      List<Candidate> mixCandidates =
          contents.examples().stream().map(e -> new Candidate(e, "mix_in", null, List.of(), false)).toList();
      List<Prepared> usable = new ArrayList<>(
          prepare(mixCandidates, validator, near, context).stream().filter(p -> p.problems().isEmpty()).toList());
      int wanted = (int) Math.round(mixIn.ratio() * ownExamples);
      if (wanted > usable.size()) {
        throw new IllegalArgumentException(
            "mix-in file " + mixIn.path() + " has " + usable.size() + " valid examples, but ratio " + mixIn.ratio()
                + " over the dataset's " + ownExamples + " own examples asks for " + wanted
                + ". Lower the ratio to at most " + floor3((double) usable.size() / Math.max(1, ownExamples))
                + ", or add examples to the file (mix-in examples are sampled without replacement: repeats would"
                + " only be removed again as duplicates).");
      }
      Collections.shuffle(usable, new Random(request.seed() * 31 + i + 1));
      int used = 0;
      for (Prepared example : usable.subList(0, wanted)) {
        DuplicateRemoval removal = filter == null ? null : filter.offer(example.id(), example.exactKey(), example.signature());
        if (removal == null) {
          kept.add(example);
          used++;
        } else {
          removed.add(removal);
        }
      }
      String sha = sha256(mixIn.path());
      mixSources.add(new DatasetManifest.FileSource(mixIn.path().toString(), sha, null, mixIn.ratio(), usable.size(), used));
      mixRecipe.add(orderedMap("path", mixIn.path().toString(), "sha256", sha, "ratio", mixIn.ratio()));
    }

    // Split: traces by group; gold examples where their file says; mix-in data always trains.
    context.checkCancelled();
    context.progress(2, 4.0, "splitting");
    List<DatasetSplitter.Item> items = new ArrayList<>();
    for (Prepared example : kept) {
      Candidate candidate = example.candidate();
      if (candidate.origin().equals("trace")) {
        items.add(new DatasetSplitter.Item(example.id(),
            DatasetSplitter.groupOf(request.groupBy(), example.id(), candidate.session(), candidate.beads())));
      }
    }
    DatasetSplitter.Assignment assignment = heldOutIds == null
        ? DatasetSplitter.byFraction(items, request.evalFraction(), request.seed())
        : DatasetSplitter.heldOut(items, heldOutIds);
    if (heldOutIds != null && assignment.evalIds().isEmpty()) {
      throw new IllegalArgumentException(
          "held_out matches none of the " + items.size() + " traces in this dataset, so eval would be empty."
              + " Check the held_out filter, or use eval_fraction instead.");
    }
    List<Prepared> train = new ArrayList<>();
    List<Prepared> eval = new ArrayList<>();
    for (Prepared example : kept) {
      Candidate candidate = example.candidate();
      boolean toEval = candidate.origin().equals("trace") ? assignment.evalIds().contains(example.id()) : candidate.toEval();
      (toEval ? eval : train).add(example);
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException(
          "train would be empty (" + eval.size() + " examples all went to eval). Lower eval_fraction, narrow"
              + " held_out, or add examples.");
    }
    // Seeded order, so that a reader taking the first lines does not get only gold or only old traces.
    Collections.shuffle(train, new Random(request.seed()));
    Collections.shuffle(eval, new Random(request.seed()));

    Map<String, Object> recipe = new LinkedHashMap<>();
    recipe.put("traces", request.traces() == null ? null : filterMap(request.traces()));
    recipe.put("gold_files", goldRecipe);
    recipe.put("mix_in", mixRecipe);
    recipe.put("eval_fraction", heldOutIds == null ? request.evalFraction() : null);
    recipe.put("group_by", request.groupBy());
    recipe.put("held_out", request.heldOut() == null ? null : filterMap(request.heldOut()));
    recipe.put("seed", request.seed());
    recipe.put("dedupe", request.dedupe());
    recipe.put("near_duplicate_threshold", near ? request.nearThreshold() : null);
    recipe.put("max_tokens", request.maxTokens());
    recipe.put("on_invalid", request.onInvalid());
    recipe.put("tokenizer_sha256", tokens.info().sha256());

    int fromTraces = (int) kept.stream().filter(p -> p.candidate().origin().equals("trace")).count();
    int gold = (int) kept.stream().filter(p -> p.candidate().origin().equals("gold")).count();
    int mixed = (int) kept.stream().filter(p -> p.candidate().origin().equals("mix_in")).count();
    List<DatasetManifest.FileSource> goldUsed = withUsedCounts(goldSources, kept, candidates, request.goldFiles().size());
    List<String> traceIds = kept.stream().filter(p -> p.candidate().origin().equals("trace")).map(Prepared::id).sorted().toList();
    DatasetManifest.Counts counts = new DatasetManifest.Counts(
        train.size(), eval.size(), fromTraces, gold, mixed, 0, invalidExcluded, invalidKept, removed.size());
    DatasetManifest.Split split = new DatasetManifest.Split(
        heldOutIds == null ? "fraction" : "held_out", heldOutIds == null ? request.evalFraction() : 0, request.groupBy(),
        request.seed(), request.heldOut() == null ? null : filterMap(request.heldOut()), assignment.trainGroups(),
        assignment.evalGroups());
    NearDuplicateIndex index = filter == null ? null : filter.nearIndex();
    int exactRemoved = (int) removed.stream().filter(r -> r.kind().equals("exact")).count();
    DatasetManifest.Dedupe dedupe = new DatasetManifest.Dedupe(
        request.dedupe(), near ? request.nearThreshold() : null, NearDuplicateIndex.PERMUTATIONS,
        NearDuplicateIndex.SHINGLE_WORDS, index == null ? 0 : index.bands(), index == null ? 0 : index.rows(),
        exactRemoved, removed.size() - exactRemoved, removed);
    DatasetManifest.Validation validation =
        new DatasetManifest.Validation(request.maxTokens(), request.onInvalid(),
            ValidationReport.countByKind(problems), problems);

    context.checkCancelled();
    context.progress(3, 4.0, "writing " + train.size() + " train and " + eval.size() + " eval examples");
    Written written = write(request.name(), examples(train), examples(eval), tokensOf(train), tokensOf(eval),
        tokens.info(), recipe, new DatasetManifest.Sources(traceIds, goldUsed, mixSources, null), counts, split,
        dedupe, validation);
    context.progress(4, 4.0, written.created() ? "wrote " + written.ref() : written.ref() + " already existed");
    return new BuildResult(
        request.name(), written.version(), written.ref(), written.created(), written.createdAt(),
        written.dir().toString(), manifestUri(request.name(), written.version()), counts, split,
        ValidationReport.of(problems, prepared.size() + unreadable.size(), invalidExcluded + invalidKept, MAX_LISTED),
        new BuildResult.Duplicates(exactRemoved, removed.size() - exactRemoved,
            removed.subList(0, Math.min(MAX_LISTED, removed.size())), removed.size() > MAX_LISTED),
        written.manifest().stats().tokens(), written.manifest().scrubCounts());
  }

  /**
   * Adds hand-written examples to a dataset as a new version: the latest version's train plus the valid new
   * examples, its eval unchanged. Invalid examples are refused with their problems; examples the dataset already
   * holds are skipped. Creates the dataset when it has no version yet.
   */
  public AddResult addExamples(String name, List<JsonNode> nodes, TokenCounter tokens, int maxTokens, ToolContext context) {
    DatasetStore.checkName(name);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("examples is empty: give at least one {\"messages\": [...], \"tools\": [...]}");
    }
    Optional<DatasetStore.VersionRef> base = store.latest(name);
    List<DatasetExample> train = base.map(v -> store.examples(v, DatasetStore.TRAIN)).orElse(List.of());
    List<DatasetExample> eval = base.map(v -> store.examples(v, DatasetStore.EVAL)).orElse(List.of());
    JsonNode baseManifest = base.map(store::manifest).orElse(null);
    Set<String> present = new HashSet<>();
    train.forEach(e -> present.add(e.id()));
    eval.forEach(e -> present.add(e.id()));

    DatasetValidator validator = new DatasetValidator(tokens, maxTokens);
    List<DatasetExample> added = new ArrayList<>();
    List<String> alreadyPresent = new ArrayList<>();
    List<AddResult.Refused> refused = new ArrayList<>();
    List<ValidationProblem> problems = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      context.checkCancelled();
      DatasetExample example;
      try {
        example = DatasetExample.withContentId(nodes.get(i), "gold");
      } catch (IllegalArgumentException e) {
        ValidationProblem problem = new ValidationProblem("examples[" + i + "]", DatasetValidator.MALFORMED, e.getMessage(),
            "Write each example as {\"messages\": [...], \"tools\": [...]} in the OpenAI/TRL form.");
        refused.add(new AddResult.Refused(i, null, List.of(problem)));
        problems.add(problem);
        continue;
      }
      CheckedExample checked = validator.check(example);
      if (!checked.valid()) {
        refused.add(new AddResult.Refused(i, example.id(), checked.problems()));
        problems.addAll(checked.problems());
      } else if (!present.add(example.id())) {
        alreadyPresent.add(example.id());
      } else {
        added.add(example);
      }
    }
    String previous = base.map(DatasetStore.VersionRef::version).orElse(null);
    List<String> addedIds = added.stream().map(DatasetExample::id).toList();
    if (added.isEmpty()) {
      DatasetManifest.Counts counts = new DatasetManifest.Counts(train.size(), eval.size(), 0, 0, 0, 0, 0, 0, 0);
      return new AddResult(name, previous, previous == null ? null : name + "@" + previous, false, previous, 0,
          addedIds, alreadyPresent, refused, counts);
    }

    List<DatasetExample> newTrain = new ArrayList<>(train);
    newTrain.addAll(added);
    Map<String, Object> recipe = new LinkedHashMap<>();
    recipe.put("base", base.map(DatasetStore.VersionRef::ref).orElse(null));
    recipe.put("added", addedIds);
    recipe.put("max_tokens", maxTokens);
    recipe.put("tokenizer_sha256", tokens.info().sha256());
    JsonNode baseCounts = baseManifest == null ? null : baseManifest.path("counts");
    DatasetManifest.Counts counts = new DatasetManifest.Counts(
        newTrain.size(), eval.size(), intOf(baseCounts, "from_traces"), intOf(baseCounts, "gold") + added.size(),
        intOf(baseCounts, "mix_in"), added.size(), 0, 0, 0);
    List<String> traceIds = new ArrayList<>();
    if (baseManifest != null) {
      baseManifest.path("sources").path("trace_ids").forEach(id -> traceIds.add(id.asString()));
    }
    JsonNode baseSplit = baseManifest == null ? null : baseManifest.path("split");
    DatasetManifest.Split split = new DatasetManifest.Split(
        base.isPresent() ? "inherited" : "none",
        baseSplit == null ? 0 : baseSplit.path("eval_fraction").asDouble(0),
        baseSplit == null ? DatasetSplitter.GROUP_NONE : baseSplit.path("group_by").asString(DatasetSplitter.GROUP_NONE),
        baseSplit == null ? 0 : baseSplit.path("seed").asLong(0), null,
        baseSplit == null ? 0 : baseSplit.path("train_groups").asInt(0),
        baseSplit == null ? 0 : baseSplit.path("eval_groups").asInt(0));
    DatasetManifest.Dedupe dedupe = new DatasetManifest.Dedupe(false, null, 0, 0, 0, 0, 0, 0, List.of());
    DatasetManifest.Validation validation = new DatasetManifest.Validation(
        maxTokens, "refuse", ValidationReport.countByKind(problems), problems);
    DatasetManifest.Sources sources =
        new DatasetManifest.Sources(traceIds, List.of(), List.of(), base.map(DatasetStore.VersionRef::ref).orElse(null));
    Written written = write(name, newTrain, eval, countTokens(newTrain, tokens), countTokens(eval, tokens),
        tokens.info(), recipe, sources, counts, split, dedupe, validation);
    return new AddResult(name, written.version(), written.ref(), written.created(), previous, added.size(), addedIds,
        alreadyPresent, refused, counts);
  }

  /** A version on disk and the manifest it carries (or would carry, when it already existed). */
  private record Written(String version, String ref, boolean created, String createdAt, Path dir, DatasetManifest manifest) {}

  private Written write(
      String name, List<DatasetExample> train, List<DatasetExample> eval, int[] trainTokens, int[] evalTokens,
      TokenCounter.TokenizerInfo tokenizer, Map<String, Object> recipe, DatasetManifest.Sources sources,
      DatasetManifest.Counts counts, DatasetManifest.Split split, DatasetManifest.Dedupe dedupe,
      DatasetManifest.Validation validation) {
    List<DatasetExample> all = new ArrayList<>(train);
    all.addAll(eval);
    int[] allTokens = IntStream.concat(IntStream.of(trainTokens), IntStream.of(evalTokens)).toArray();
    Map<String, Integer> splitSizes = new LinkedHashMap<>();
    splitSizes.put(DatasetStore.TRAIN, train.size());
    splitSizes.put(DatasetStore.EVAL, eval.size());
    DatasetStats stats = DatasetStats.of(all, allTokens, tokenizer.name(), splitSizes);
    Map<String, DatasetStats.TokenStats> tokensBySplit = new LinkedHashMap<>();
    tokensBySplit.put(DatasetStore.TRAIN, DatasetStats.tokenStats(trainTokens, tokenizer.name()));
    tokensBySplit.put(DatasetStore.EVAL, DatasetStats.tokenStats(evalTokens, tokenizer.name()));
    try (DatasetStore.Draft draft = store.draft(name)) {
      String trainSha = draft.writeSplit(DatasetStore.TRAIN, train);
      String evalSha = draft.writeSplit(DatasetStore.EVAL, eval);
      String hash = Json.contentHash(Map.of("train", trainSha, "eval", evalSha, "recipe", recipe));
      String version = hash.substring(0, 12);
      Instant now = Instant.now();
      DatasetManifest manifest = new DatasetManifest(
          name, version, name + "@" + version, now.toString(), hash, DatasetManifest.FORMAT, DatasetManifest.QWEN3,
          tokenizer, recipe, sources, counts, split, dedupe, validation, scrubCounts(all), stats, tokensBySplit);
      boolean created = draft.commit(version, Json.writePretty(manifest), now);
      DatasetStore.VersionRef ref = new DatasetStore.VersionRef(name, version, store.dir(name, version));
      String createdAt = created ? now.toString() : store.manifest(ref).path("created_at").asString(now.toString());
      return new Written(version, ref.ref(), created, createdAt, ref.dir(), manifest);
    }
  }

  public static String manifestUri(String name, String version) {
    return "successor://datasets/" + name + "/" + version + "/manifest";
  }

  /** Checks candidates in parallel: validation, rendering and tokenizing dominate a build. */
  private static List<Prepared> prepare(List<Candidate> candidates, DatasetValidator validator, boolean near, ToolContext context) {
    return IntStream.range(0, candidates.size())
        .parallel()
        .mapToObj(i -> {
          context.checkCancelled();
          Candidate candidate = candidates.get(i);
          CheckedExample checked = validator.check(candidate.example());
          // An unrenderable example (kept only with on_invalid: keep) is compared by its JSON instead.
          String text = checked.rendered() != null ? checked.rendered().text() : candidate.example().toJsonLine();
          int[] signature = null;
          if (near) {
            signature = checked.rendered() != null
                ? DuplicateFilter.nearSignature(candidate.example().conversation())
                : NearDuplicateIndex.signature(text);
          }
          return new Prepared(candidate, checked.problems(), Math.max(0, checked.tokens()), DuplicateFilter.exactKey(text), signature);
        })
        .toList();
  }

  static int[] countTokens(List<DatasetExample> examples, TokenCounter tokens) {
    return examples.parallelStream().mapToInt(e -> tokens.count(e.render().text())).toArray();
  }

  private static List<DatasetExample> examples(List<Prepared> prepared) {
    return prepared.stream().map(p -> p.candidate().example()).toList();
  }

  private static int[] tokensOf(List<Prepared> prepared) {
    return prepared.stream().mapToInt(Prepared::tokens).toArray();
  }

  private ExampleFile.Contents readFile(Path path, String idPrefix, List<ValidationProblem> unreadable) {
    ExampleFile.Contents contents = ExampleFile.read(path, idPrefix);
    for (ValidationProblem problem : contents.unreadable()) {
      unreadable.add(new ValidationProblem(path.getFileName() + ":" + problem.exampleId(), problem.kind(), problem.message(), problem.fix()));
    }
    return contents;
  }

  private static List<DatasetManifest.FileSource> withUsedCounts(
      List<DatasetManifest.FileSource> sources, List<Prepared> kept, List<Candidate> candidates, int files) {
    // Gold candidates were added file by file; count the kept ones per file by walking the same order.
    List<DatasetManifest.FileSource> result = new ArrayList<>();
    Set<String> keptIds = kept.stream().map(Prepared::id).collect(Collectors.toSet());
    int offset = 0;
    for (int f = 0; f < files; f++) {
      DatasetManifest.FileSource source = sources.get(f);
      int used = 0;
      for (Candidate candidate : candidates.subList(offset, offset + source.available())) {
        used += keptIds.remove(candidate.example().id()) ? 1 : 0;
      }
      offset += source.available();
      result.add(new DatasetManifest.FileSource(source.path(), source.sha256(), source.eval(), null, source.available(), used));
    }
    return result;
  }

  private static void checkAllFound(List<String> ids, List<Trace> selected) {
    if (ids.isEmpty()) {
      return;
    }
    Set<String> found = selected.stream().map(Trace::id).collect(Collectors.toSet());
    List<String> missing = ids.stream().filter(id -> !found.contains(id)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "no trace has the id(s) " + missing + (ids.size() > missing.size() ? " (or they fail the other filters)" : "")
              + ". Trace ids look like tr-0123456789abcdef; search the traces to find them.");
    }
  }

  /** A trace filter as the manifest and recipe record it: the fields that were set, instants in ISO form. */
  static Map<String, Object> filterMap(TraceFilter filter) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (!filter.ids().isEmpty()) {
      map.put("ids", filter.ids());
    }
    putIfSet(map, "agent", filter.agent());
    putIfSet(map, "tool_name", filter.toolName());
    putIfSet(map, "text", filter.text());
    putIfSet(map, "since", filter.since() == null ? null : filter.since().toString());
    putIfSet(map, "until", filter.until() == null ? null : filter.until().toString());
    putIfSet(map, "outcome", filter.outcome());
    putIfSet(map, "tag", filter.tag());
    putIfSet(map, "session_id", filter.sessionId());
    putIfSet(map, "bead_id", filter.beadId());
    if (filter.limit() > 0) {
      map.put("limit", filter.limit());
    }
    return map;
  }

  private static void putIfSet(Map<String, Object> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static Map<String, Object> orderedMap(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Scrubber placeholders such as {@code [REDACTED_API_KEY]} in the examples, by kind. */
  static Map<String, Integer> scrubCounts(List<DatasetExample> examples) {
    Map<String, Integer> counts = new TreeMap<>();
    for (DatasetExample example : examples) {
      for (JsonNode message : example.messages()) {
        String text = message.toString();
        if (!text.contains("[REDACTED")) {
          continue;
        }
        Matcher matcher = SCRUB_PLACEHOLDER.matcher(text);
        while (matcher.find()) {
          counts.merge(matcher.group(1) == null ? "unspecified" : matcher.group(1), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  private static int intOf(JsonNode node, String field) {
    return node == null ? 0 : node.path(field).asInt(0);
  }

  private static double floor3(double value) {
    return Math.floor(value * 1000) / 1000;
  }

  private static String sha256(Path file) {
    try {
      return TokenCounter.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
