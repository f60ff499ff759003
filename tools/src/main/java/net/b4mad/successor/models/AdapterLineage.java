package net.b4mad.successor.models;

import java.util.List;
import java.util.Map;

/**
 * An adapter trained in this workspace and where it came from: the base model, the dataset (and its version
 * when it was built here), the training job and its bead, the adapter it continued from, and the evals of it.
 *
 * @param name the training job's id, which the model tools take as the adapter's name
 * @param kind {@code sft} or {@code dpo}
 * @param datasetVersion {@code name@version} when the dataset is a version dataset_build made; else null
 * @param continuedFrom the adapter it started from (DPO after SFT, or further training); null when fresh
 * @param continuedFromRun the job that trained that adapter, when it was one of ours
 * @param metrics the final metrics from result.json (loss, eval loss, ...)
 * @param production it is the production model now
 */
public record AdapterLineage(
    String name,
    String path,
    String kind,
    String baseModel,
    String dataset,
    String datasetVersion,
    String runId,
    String beadId,
    String continuedFrom,
    String continuedFromRun,
    int rank,
    Integer steps,
    Map<String, Object> metrics,
    String finishedAt,
    List<EvalSummary> evals,
    boolean production) {}
