package net.b4mad.successor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.train.TrainingRun;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code successor train sft|dpo}: one training run in this process. Progress goes to stderr, the result as JSON
 * to stdout. Ctrl-C or SIGTERM finishes the current step, saves a checkpoint and exits; {@code --resume}
 * continues from it.
 */
abstract class TrainRecipeCommand implements Callable<Integer> {

  /** How long a signal waits for the step in progress and the checkpoint; a kill after that loses the step. */
  private static final long STOP_GRACE_MINUTES = 30;

  @Mixin TrainingOptions options;

  abstract String method();

  @Override
  public Integer call() {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      System.err.println("successor: stopping after the current step and saving a checkpoint...");
      stop.set(true);
      try {
        finished.await(STOP_GRACE_MINUTES, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "successor-train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      TrainingRun.Result result = options.resume
          ? TrainingRun.resume(checkedResume(), stop::get, System.err::println)
          : TrainingRun.start(config(), options.out, stop::get, System.err::println);
      System.out.println(Json.writePretty(result.toMap()));
      return result.status().equals("completed") ? 0 : 130;
    } finally {
      finished.countDown();
      if (!stop.get()) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
  }

  /** {@code --config} overlaid with the options given. */
  private TrainingConfig config() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    if (options.config != null) {
      JsonNode file = Json.readTree(options.config);
      if (!file.isObject()) {
        throw new IllegalArgumentException(options.config + " must hold a JSON object of training settings");
      }
      json.setAll((ObjectNode) file);
    }
    JsonNode method = json.get("method");
    if (method != null && !method.asString().equals(method())) {
      throw new IllegalArgumentException(
          options.config + " says method " + method + ", but this is 'train " + method() + "'");
    }
    json.put("method", method());
    options.given().forEach((key, value) -> json.set(key, Json.MAPPER.valueToTree(value)));
    try {
      return TrainingConfig.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          (options.config == null ? "" : options.config + " with the options given: ") + e.getMessage(), e);
    }
  }

  /** A resumed run keeps its settings: options that contradict them are refused rather than ignored. */
  private Path checkedResume() {
    if (options.config != null) {
      throw new IllegalArgumentException("--resume takes the settings from the run's own config.json; drop --config");
    }
    Path out = options.out;
    if (!Files.isRegularFile(out.resolve(RunDirectory.CONFIG))) {
      throw new IllegalArgumentException(out + " holds no training run to resume (no config.json)");
    }
    ObjectNode saved = (ObjectNode) Json.MAPPER.valueToTree(RunDirectory.open(out).config());
    if (!saved.path("method").asString().equals(method())) {
      throw new IllegalArgumentException(out + " is a " + saved.path("method").asString() + " run, not " + method());
    }
    for (Map.Entry<String, Object> option : options.given().entrySet()) {
      JsonNode given = Json.MAPPER.valueToTree(option.getValue());
      JsonNode was = saved.get(option.getKey());
      if (!given.equals(was) && !(given.isNumber() && was != null && was.isNumber()
          && given.asDouble() == was.asDouble())) {
        throw new IllegalArgumentException(
            "the run in " + out + " was started with " + option.getKey() + " = " + was + "; --resume cannot change"
                + " it to " + given + " (start a new run with another --out instead)");
      }
    }
    return out;
  }

  @Command(
      name = "sft",
      mixinStandardHelpOptions = true,
      versionProvider = Successor.VersionProvider.class,
      description = {
        "Supervised fine-tuning of a LoRA / QLoRA adapter on chat examples ({messages, tools} per line), with the"
            + " loss on the assistant turns. Writes a PEFT adapter to RUN_DIR/adapter.",
        "Needs --model, --dataset and --out (or a --config file that names them)."
      })
  static final class Sft extends TrainRecipeCommand {
    @Override
    String method() {
      return "sft";
    }
  }

  @Command(
      name = "dpo",
      mixinStandardHelpOptions = true,
      versionProvider = Successor.VersionProvider.class,
      description = {
        "Direct preference optimisation of a LoRA / QLoRA adapter on preference pairs ({prompt, tools, chosen,"
            + " rejected} per line, TRL's conversational form). The reference is the starting model: the base, or"
            + " the --adapter it continues from.",
        "Needs --model, --dataset and --out (or a --config file that names them)."
      })
  static final class Dpo extends TrainRecipeCommand {
    @Override
    String method() {
      return "dpo";
    }
  }
}
