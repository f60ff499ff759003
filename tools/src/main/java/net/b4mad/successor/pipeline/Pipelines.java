package net.b4mad.successor.pipeline;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.beads.NewBead;
import net.b4mad.successor.datasets.BuildResult;
import net.b4mad.successor.datasets.DatasetStore;
import net.b4mad.successor.datasets.DatasetsArea;
import net.b4mad.successor.eval.EvalJobRunner;
import net.b4mad.successor.eval.EvalSuites;
import net.b4mad.successor.jobs.Job;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.jobs.JobSpec;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.models.ProductionPointer;
import net.b4mad.successor.models.Promotion;
import net.b4mad.successor.pairs.PairsJobRunner;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Retraining as a pipeline: build the dataset (now, as dataset_build does), then queue SFT, an eval of the
 * candidate, an eval of production (the base model while there is none) on the same suites, and a promote step
 * that waits for both evals and passes the candidate only through the promotion gate. Each step is a job with its
 * own bead; the beads wait for each other ({@code blocks}) under one parent bead for the pipeline.
 */
public final class Pipelines {

  /** One step of a pipeline and where to watch it. */
  public record Step(String step, String jobId, String beadId, String state) {}

  /**
   * A pipeline: its parent bead, its dataset, its steps, and, once the promote step ran, the outcome.
   *
   * @param failure the first step (in queue order) that failed or was cancelled, with its error; null while none
   */
  public record Pipeline(String id, String beadId, String dataset, List<Step> steps, String state, JsonNode outcome,
      String failure) {}

  private final Workspace workspace;
  private final JobQueue queue;
  private final Beads beads;
  private final DatasetsArea datasets;

  public Pipelines(Workspace workspace, JobQueue queue, Beads beads, DatasetsArea datasets) {
    this.workspace = workspace;
    this.queue = queue;
    this.beads = beads;
    this.datasets = datasets;
  }

  /**
   * Starts a pipeline.
   *
   * @param settings pipeline_retrain's arguments: model, dataset (dataset_build's arguments; name defaults to
   *     {@code retrain}, traces to those since the current production was promoted), sft (train_sft's settings),
   *     suites, eval (eval_run's limit and generation settings), gate, priority, bead_id (the parent bead to use
   *     instead of a new one)
   */
  public Pipeline start(JsonNode settings, ToolContext context) {
    String model = workspace.allowedRoots().resolve(required(settings, "model")).toString();
    String id = JobQueue.newId("pipeline");
    Optional<Promotion> production = new ProductionPointer(workspace.store()).current();

    ObjectNode datasetArguments = copyOf(settings, "dataset");
    if (!datasetArguments.has("name")) {
      datasetArguments.put("name", "retrain");
    }
    if (!datasetArguments.has("traces") && production.isPresent()) {
      datasetArguments.set("traces", Json.MAPPER.createObjectNode().put("since", production.get().at()));
    }
    if (!datasetArguments.has("tokenizer")) {
      datasetArguments.put("tokenizer", model);
    }
    context.progress(0, 5.0, "building the dataset");
    BuildResult dataset = datasets.build(datasetArguments, context);
    if (dataset.counts() == null || dataset.counts().train() == 0) {
      throw new ToolException("the dataset has no training examples (" + Json.write(dataset.counts()) + "): import"
          + " traces first, widen dataset.traces, or add gold_files");
    }

    int priority = settings.path("priority").asInt(0);
    String parent = settings.path("bead_id").asString(null);
    if (parent == null) {
      Bead bead = beads.create(new NewBead("Retraining pipeline " + id + ": " + lastName(model) + " on " + dataset.ref(),
          "epic", NewBead.DEFAULT_PRIORITY, "Successor retraining pipeline.\n\nSettings:\n" + Json.writePretty(settings),
          List.of("successor", "pipeline"), List.of(), null));
      parent = bead.id();
    }

    ObjectNode sft = copyOf(settings, "sft");
    sft.put("method", "sft");
    sft.put("model", model);
    sft.put("dataset", dataset.path());
    Job train = queue.submit(new JobSpec("sft", Json.MAPPER.valueToTree(TrainingConfig.fromJson(sft)), priority, null,
        List.of(), parent, id), workspace.runsDir());
    Job candidate = train;
    if (settings.has("dpo")) {
      candidate = preferenceSteps(settings, model, dataset, train, priority, parent, id);
    }
    String adapter = Path.of(candidate.runDir()).resolve("adapter").toString();

    List<String> suites = new ArrayList<>();
    settings.path("suites").forEach(suite -> suites.add(suite.asString()));
    List<String> files = new ArrayList<>(EvalSuites.of(workspace).files(suites));
    if (settings.path("eval").path("held_out").asBoolean(true) && dataset.counts().eval() > 0) {
      files.add(dataset.path());
    }
    Job candidateEval = queue.submit(new JobSpec(EvalJobRunner.KIND,
        evalSettings(model, adapter, files, settings), priority, null, List.of(candidate.id()), parent, id),
        workspace.evalsDir());
    String referenceModel = production.map(Promotion::model).orElse(model);
    String referenceAdapter = production.map(Promotion::adapter).orElse(null);
    Job referenceEval = queue.submit(new JobSpec(EvalJobRunner.KIND,
        evalSettings(referenceModel, referenceAdapter, files, settings), priority, null, List.of(), parent, id),
        workspace.evalsDir());

    ObjectNode promote = Json.MAPPER.createObjectNode();
    promote.put("run_id", candidate.id());
    promote.put("candidate_eval", candidateEval.id());
    promote.put("reference_eval", referenceEval.id());
    if (settings.has("gate")) {
      promote.set("gate", settings.get("gate"));
    }
    Job step = queue.submit(new JobSpec(PromoteJobRunner.KIND, promote, priority, null,
        List.of(candidateEval.id(), referenceEval.id()), parent, id), workspace.runsDir());

    String bead = parent;
    workspace.store().write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO pipelines (id, created_at, bead_id, spec) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, id);
        insert.setString(2, Instant.now().toString());
        insert.setString(3, bead);
        insert.setString(4, Json.write(settings));
        insert.executeUpdate();
      }
      return null;
    });
    context.progress(5, 5.0, "queued");
    return status(id);
  }

  /**
   * The optional DPO stage after SFT: preference pairs sampled from the SFT adapter on the dataset's training
   * prompts, then DPO starting from (and referenced to) that adapter, on the pairs job's folder.
   */
  private Job preferenceSteps(JsonNode settings, String model, BuildResult dataset, Job train, int priority,
      String parent, String id) {
    String sftAdapter = Path.of(train.runDir()).resolve("adapter").toString();
    ObjectNode pairs = copyOf(settings, "pairs");
    pairs.put("model", model);
    pairs.put("adapter", sftAdapter);
    pairs.put("dataset", dataset.path());
    pairs.put("split", DatasetStore.TRAIN);
    pairs.put("source", dataset.ref());
    pairs.put("name", dataset.name() + "-pairs");
    Job sampled = queue.submit(new JobSpec(PairsJobRunner.KIND, pairs, priority, null, List.of(train.id()), parent, id),
        workspace.runsDir());
    ObjectNode dpo = copyOf(settings, "dpo");
    dpo.put("method", "dpo");
    dpo.put("model", model);
    dpo.put("adapter", sftAdapter);
    dpo.put("dataset", sampled.runDir());
    return queue.submit(new JobSpec("dpo", Json.MAPPER.valueToTree(TrainingConfig.fromJson(dpo)), priority, null,
        List.of(sampled.id()), parent, id), workspace.runsDir());
  }

  /** Eval settings as eval_run makes them, greedy unless the pipeline's eval settings say otherwise. */
  private static ObjectNode evalSettings(String model, String adapter, List<String> files, JsonNode settings) {
    ObjectNode eval = Json.MAPPER.createObjectNode();
    eval.put("model", model);
    if (adapter != null) {
      eval.put("adapter", adapter);
    }
    eval.set("suites", Json.MAPPER.valueToTree(files));
    JsonNode generation = settings.path("eval");
    for (String field : List.of("limit", "max_new_tokens", "temperature", "top_p", "top_k", "seed")) {
      if (generation.has(field)) {
        eval.set(field, generation.get(field));
      }
    }
    return eval;
  }

  /** A pipeline's steps as they stand; its state is failed when a step failed or was cancelled. */
  public Pipeline status(String id) {
    String bead = workspace.store().read(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT bead_id FROM pipelines WHERE id = ?")) {
        select.setString(1, id);
        try (ResultSet rows = select.executeQuery()) {
          if (!rows.next()) {
            throw new ToolException("no pipeline '" + id + "'");
          }
          return rows.getString(1);
        }
      }
    });
    List<Step> steps = new ArrayList<>();
    String dataset = null;
    JsonNode outcome = null;
    String failure = null;
    for (Job job : queue.store().ofPipeline(id)) {
      // The candidate's eval is the one that waits for training; production's waits for nothing.
      String name = job.kind().equals(EvalJobRunner.KIND)
          ? (job.dependsOn().isEmpty() ? "eval reference" : "eval candidate") : job.kind();
      if (job.kind().equals("sft")) {
        dataset = JobSpec.read(Path.of(job.runDir())).settings().path("dataset").asString(null);
      }
      if (failure == null && (job.state() == JobState.FAILED || job.state() == JobState.CANCELLED)) {
        failure = name + " step " + job.id() + " " + job.state().label() + ": " + job.error();
      }
      if (job.kind().equals(PromoteJobRunner.KIND) && job.state() == JobState.SUCCEEDED) {
        outcome = Json.readTree(Path.of(job.runDir()).resolve(PromoteJobRunner.OUTCOME));
      }
      steps.add(new Step(name, job.id(), job.beadId(), job.state().label()));
    }
    String state = failure != null ? "failed" : outcome != null ? "succeeded" : "running";
    return new Pipeline(id, bead, dataset, steps, state, outcome, failure);
  }

  /** A copy of the settings' object FIELD, to add to; empty when there is none. */
  private static ObjectNode copyOf(JsonNode settings, String field) {
    JsonNode value = settings.get(field);
    return value != null && value.isObject() ? ((ObjectNode) value).deepCopy() : Json.MAPPER.createObjectNode();
  }

  private static String required(JsonNode settings, String field) {
    String value = settings.path(field).asString(null);
    if (value == null || value.isBlank()) {
      throw new ToolException("'" + field + "' is required");
    }
    return value;
  }

  private static String lastName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }


}
