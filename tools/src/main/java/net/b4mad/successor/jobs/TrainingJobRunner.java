package net.b4mad.successor.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.train.TrainingEvents;
import net.b4mad.successor.train.TrainingRun;

/** {@code sft} and {@code dpo} jobs: a {@link TrainingRun} in the job's run directory. */
public final class TrainingJobRunner implements JobRunner {

  @Override
  public List<String> kinds() {
    return TrainingConfig.METHODS;
  }

  @Override
  public void check(JobSpec spec) {
    TrainingConfig config = TrainingConfig.fromJson(spec.settings());
    if (!config.method().equals(spec.kind())) {
      throw new IllegalArgumentException("a " + spec.kind() + " job cannot run method " + config.method());
    }
  }

  @Override
  public Outcome run(JobSpec spec, Path runDir, boolean resume, Control control) {
    TrainingEvents events = new TrainingEvents() {
      @Override
      public void progress(String line) {
        control.log(line);
      }

      @Override
      public void checkpoint(int step, Path dir, Map<String, Object> metrics) {
        control.checkpoint(step, metrics);
      }
    };
    // A worker that died before the first checkpoint leaves config.json and nothing to resume from: resume
    // then starts the run over in the same directory.
    TrainingRun.Result result = resume || Files.isRegularFile(runDir.resolve(RunDirectory.CONFIG))
        ? TrainingRun.resume(runDir, control::stopRequested, events)
        : TrainingRun.start(TrainingConfig.fromJson(spec.settings()), runDir, control::stopRequested, events);
    if (!result.status().equals("completed")) {
      return new Outcome(JobState.CANCELLED, "stopped at step " + result.step() + " of " + result.totalSteps()
          + " with a checkpoint; job_resume continues", result.toMap());
    }
    return new Outcome(JobState.SUCCEEDED, summary(result), result.toMap());
  }

  /** One line for the bead: {@code 100 steps, loss 0.41, eval loss 0.52}. */
  static String summary(TrainingRun.Result result) {
    StringBuilder line = new StringBuilder(result.step() + " steps");
    for (String key : List.of("loss", "eval_loss", "rewards/accuracies", "eval_rewards/accuracies")) {
      Object value = result.metrics().get(key);
      if (value instanceof Number number) {
        line.append(", ").append(key.replace('_', ' ')).append(' ')
            .append(String.format(Locale.ROOT, "%.4g", number.doubleValue()));
      }
    }
    return line.append(", adapter ").append(result.adapter()).toString();
  }
}
