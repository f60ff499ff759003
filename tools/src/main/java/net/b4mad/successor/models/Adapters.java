package net.b4mad.successor.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.b4mad.successor.eval.EvalRuns.EvalRun;
import net.b4mad.successor.jobs.Job;
import net.b4mad.successor.jobs.JobState;
import net.b4mad.successor.jobs.JobStore;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.workspace.Workspace;
import tools.jackson.databind.JsonNode;

/**
 * The adapters of a workspace: every succeeded training job's {@code adapter/} with its lineage, and the
 * reading of the model tools' {@code adapter} and {@code model} arguments into a {@link ModelRef}.
 */
public final class Adapters {

  private static final String ADAPTER_DIR = "adapter";

  private final Workspace workspace;
  private final JobStore jobs;

  public Adapters(Workspace workspace, JobStore jobs) {
    this.workspace = workspace;
    this.jobs = jobs;
  }

  /** Newest first, each with the evals among {@code evals} that ran it. */
  public List<AdapterLineage> list(List<EvalRun> evals, Promotion production) {
    List<Job> training = trainingJobs();
    List<AdapterLineage> adapters = new ArrayList<>();
    for (Job job : training) {
      Path runDir = Path.of(job.runDir());
      if (job.state() != JobState.SUCCEEDED || !Files.isRegularFile(runDir.resolve(ADAPTER_DIR).resolve(LoraConfig.FILE))) {
        continue;
      }
      TrainingConfig config = TrainingConfig.fromJson(Json.readTree(runDir.resolve(RunDirectory.CONFIG)));
      ModelRef ref = fromJob(job, config);
      JsonNode result = Files.isRegularFile(runDir.resolve(RunDirectory.RESULT))
          ? Json.readTree(runDir.resolve(RunDirectory.RESULT)) : null;
      adapters.add(new AdapterLineage(job.id(), ref.adapter(), job.kind(), config.model(), config.dataset(),
          datasetVersion(config.dataset()), job.id(), job.beadId(), config.adapter(),
          config.adapter() == null ? null : producer(config.adapter(), training).map(Job::id).orElse(null),
          config.rank(), result == null || !result.path("step").isNumber() ? null : result.path("step").asInt(),
          result == null ? Map.of() : Json.toMap(result.path("metrics")), job.finishedAt(),
          evals.stream().filter(ref::evaluatedBy).map(EvalSummary::of).toList(), ref.sameAs(production)));
    }
    return adapters;
  }

  /**
   * The model an {@code adapter} argument names: a training job's id, or a PEFT adapter directory. The base is the
   * job's, else {@code model}, else the adapter's {@code base_model_name_or_path} when that is a local directory.
   *
   * @param model a base model directory, or null
   */
  public ModelRef adapter(String adapter, String model) {
    Optional<Job> named = jobs.get(adapter).filter(job -> TrainingConfig.METHODS.contains(job.kind()));
    Path dir = named.isPresent() ? Path.of(named.get().runDir()).resolve(ADAPTER_DIR)
        : workspace.allowedRoots().resolve(adapter);
    Optional<Job> job = named.isPresent() ? named : producer(dir.toString(), trainingJobs())
        .filter(found -> Path.of(found.runDir()).resolve(ADAPTER_DIR).equals(dir));
    if (job.isPresent()) {
      Job found = job.get();
      if (found.state() != JobState.SUCCEEDED || !Files.isRegularFile(dir.resolve(LoraConfig.FILE))) {
        throw new ToolException("training job " + found.id() + " is " + found.state().label()
            + " and has no final adapter; only a succeeded run's adapter can be promoted or exported (job_wait waits"
            + " for it)");
      }
      ModelRef ref = fromJob(found, TrainingConfig.fromJson(Json.readTree(Path.of(found.runDir()).resolve(RunDirectory.CONFIG))));
      if (model != null && !base(model).model().equals(ref.model())) {
        throw new ToolException("adapter " + found.id() + " was trained on " + ref.model() + ", not on " + model
            + "; leave model out to use its own base");
      }
      return ref;
    }
    if (!Files.isRegularFile(dir.resolve(LoraConfig.FILE))) {
      throw new ToolException("adapter: '" + adapter + "' is neither a training job id (models_list shows the"
          + " adapters) nor a PEFT adapter directory (" + dir + " has no " + LoraConfig.FILE + ")");
    }
    String baseDir = model;
    if (baseDir == null) {
      baseDir = LoraConfig.read(dir).baseModelNameOrPath();
      if (baseDir == null || !Files.isDirectory(Path.of(baseDir))) {
        throw new ToolException("the adapter in " + dir + " names no local base model (base_model_name_or_path is '"
            + baseDir + "'); pass model: the base model directory it was trained on");
      }
    }
    String name = dir.getFileName().toString().equals(ADAPTER_DIR) ? dir.getParent().getFileName().toString()
        : dir.getFileName().toString();
    return new ModelRef(name, base(baseDir).model(), dir.toString(), null, null);
  }

  /** A base model directory (inside the allowed directories) as a model of its own. */
  public ModelRef base(String model) {
    Path dir = workspace.allowedRoots().resolve(model);
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      throw new ToolException("model: " + dir + " is not a model directory (it has no config.json); models_list"
          + " shows the base models there are");
    }
    List<Path> roots = new ArrayList<>(List.of(workspace.modelsDir()));
    roots.addAll(workspace.allowedRoots().roots());
    return new ModelRef(ModelDiscovery.nameOf(dir, roots), dir.toString(), null, null, null);
  }

  private static ModelRef fromJob(Job job, TrainingConfig config) {
    return new ModelRef(job.id(), config.model(), Path.of(job.runDir()).resolve(ADAPTER_DIR).toString(), job.id(),
        job.beadId());
  }

  private List<Job> trainingJobs() {
    List<Job> training = new ArrayList<>();
    for (String kind : TrainingConfig.METHODS) {
      training.addAll(jobs.list(null, kind, Integer.MAX_VALUE));
    }
    training.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
    return training;
  }

  /** The training job whose run directory holds {@code adapter} (its final adapter or a checkpoint's). */
  private static Optional<Job> producer(String adapter, List<Job> training) {
    Path path = Path.of(adapter);
    return training.stream().filter(job -> path.startsWith(Path.of(job.runDir()))).findFirst();
  }

  /** {@code name@version} for a dataset version folder of this workspace. */
  private String datasetVersion(String dataset) {
    Path path = Path.of(dataset);
    Path datasets = workspace.datasetsDir();
    if (!path.startsWith(datasets) || datasets.relativize(path).getNameCount() != 2) {
      return null;
    }
    Path relative = datasets.relativize(path);
    return relative.getName(0) + "@" + relative.getName(1);
  }
}
