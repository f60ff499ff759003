package net.b4mad.successor.jobs;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.beads.BeadUpdate;
import net.b4mad.successor.beads.Beads;
import net.b4mad.successor.beads.NewBead;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bead for every job: created when the job is queued (labels {@code successor} and the kind, the run config
 * in the description, a dependency on the bead of the run whose adapter it continues), {@code in_progress} when
 * the worker starts it, a note at each checkpoint, closed with a one-line result when it succeeds, and
 * {@code blocked} with the reason when it fails or is cancelled (closing would unblock what waits on it). A
 * tracker that fails while the job runs is logged, never allowed to fail the job.
 */
public final class TrackingBeads implements JobBeads {

  private static final Logger LOG = LoggerFactory.getLogger(TrackingBeads.class);

  private final Beads beads;
  private final JobStore jobs;

  /** @param jobs to find the beads of the runs a job builds on or waits for */
  public TrackingBeads(Beads beads, JobStore jobs) {
    this.beads = beads;
    this.jobs = jobs;
  }

  @Override
  public String opened(String jobId, JobSpec spec) {
    String note = "Successor " + spec.kind() + " job " + jobId + " queued.";
    if (spec.beadId() != null) {
      try {
        beads.show(spec.beadId());
      } catch (RuntimeException e) {
        throw new ToolException("bead_id " + spec.beadId() + ": " + e.getMessage(), e);
      }
      beads.update(spec.beadId(), new BeadUpdate(null, note, List.of("successor", spec.kind()), List.of()));
      return spec.beadId();
    }
    String model = lastName(spec.settings().path("model").asString(""));
    String adapter = spec.settings().path("adapter").asString(null);
    String data = spec.settings().has("suites")
        ? String.join(", ", spec.settings().path("suites").valueStream().map(s -> lastName(s.asString())).toList())
        : lastName(spec.settings().path("dataset").asString(""));
    String what = switch (spec.kind()) {
      case "sft", "dpo" -> spec.kind().toUpperCase(Locale.ROOT) + " training run";
      case "eval" -> "Eval";
      case "promote" -> "Promotion step";
      case "pairs" -> "Preference pairs";
      default -> spec.kind() + " job";
    };
    String title = String.format(Locale.ROOT, "%s %s: %s%s%s", what, jobId, model,
        adapter == null ? "" : " + " + lastName(adapter.replaceFirst("/adapter/?$", "")),
        data.isEmpty() ? "" : " on " + data);
    String description = note + "\n\nSettings:\n" + Json.writePretty(spec.settings());
    List<String> waitsFor = new java.util.ArrayList<>(buildsOn(spec));
    for (String job : spec.dependsOn()) {
      jobs.get(job).map(Job::beadId).filter(bead -> bead != null && !waitsFor.contains(bead)).ifPresent(waitsFor::add);
    }
    Bead bead = beads.create(new NewBead(title, "task", NewBead.DEFAULT_PRIORITY, description,
        List.of("successor", spec.kind()), waitsFor, spec.parentBead()));
    return bead.id();
  }

  /** The bead of the job whose adapter this one starts from, when it was one of ours. */
  private List<String> buildsOn(JobSpec spec) {
    String adapter = spec.settings().path("adapter").asString(null);
    if (adapter == null) {
      return List.of();
    }
    return jobs.list(null, null, 1000).stream()
        .filter(job -> job.beadId() != null && adapter.startsWith(job.runDir()))
        .map(Job::beadId)
        .findFirst()
        .map(List::of)
        .orElse(List.of());
  }

  private static String lastName(String path) {
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  @Override
  public void started(Job job, String detail) {
    track(job, () -> beads.update(job.beadId(),
        new BeadUpdate("in_progress", "Job " + job.id() + (job.resume() ? " resumed" : " started") + ": " + detail,
            List.of(), List.of())));
  }

  @Override
  public void checkpoint(Job job, int step, Map<String, Object> metrics) {
    StringBuilder note = new StringBuilder("Checkpoint at step " + step);
    for (String key : List.of("total_steps", "loss", "eval_loss", "tokens_per_s", "peak_rss_mib")) {
      Object value = metrics.get(key);
      if (value instanceof Number number) {
        note.append(", ").append(key.replace('_', ' ')).append(' ')
            .append(number instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : number);
      }
    }
    track(job, () -> beads.update(job.beadId(), BeadUpdate.notes(note.toString())));
  }

  @Override
  public void finished(Job job, JobState state, String summary) {
    if (state == JobState.SUCCEEDED) {
      track(job, () -> beads.close(job.beadId(), summary));
    } else {
      track(job, () -> beads.update(job.beadId(), new BeadUpdate("blocked",
          "Job " + job.id() + " " + state.label() + ": " + summary, List.of(), List.of())));
    }
  }

  private static void track(Job job, Runnable change) {
    if (job.beadId() == null) {
      return;
    }
    try {
      change.run();
    } catch (RuntimeException e) {
      LOG.warn("could not update bead {} of job {}: {}", job.beadId(), job.id(), e.getMessage());
    }
  }
}
