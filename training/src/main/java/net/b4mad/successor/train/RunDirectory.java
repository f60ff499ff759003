package net.b4mad.successor.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * A training run's folder, readable by other tools: {@code config.json} (the full {@link TrainingConfig}),
 * {@code metrics.jsonl} (one JSON object per logged step), {@code checkpoints/checkpoint-<step>/} (each a PEFT
 * adapter plus {@code optimizer.safetensors} and {@code trainer_state.json}, written as a unit), {@code adapter/}
 * (the final PEFT adapter) and {@code result.json} (the final metrics).
 */
public final class RunDirectory {

  public static final String CONFIG = "config.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String RESULT = "result.json";
  static final String OPTIMIZER = "optimizer.safetensors";
  static final String TRAINER_STATE = "trainer_state.json";
  private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d+)");

  private final Path dir;
  private final TrainingConfig config;

  private RunDirectory(Path dir, TrainingConfig config) {
    this.dir = dir;
    this.config = config;
  }

  /** A new run in {@code dir}, which must not hold a run already. */
  public static RunDirectory create(Path dir, TrainingConfig config) {
    if (Files.exists(dir.resolve(CONFIG))) {
      throw new IllegalArgumentException(
          dir + " already holds a training run; pass --resume to continue it, or choose another --out");
    }
    AtomicFiles.writeStringUnchecked(dir.resolve(CONFIG), Json.writePretty(config) + "\n");
    return new RunDirectory(dir, config);
  }

  /** An existing run, to resume. */
  public static RunDirectory open(Path dir) {
    Path file = dir.resolve(CONFIG);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(dir + " holds no training run (no " + CONFIG + "): nothing to resume");
    }
    try {
      return new RunDirectory(dir, TrainingConfig.fromJson(Json.readTree(file)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  public TrainingConfig config() {
    return config;
  }

  public Path adapterDir() {
    return dir.resolve("adapter");
  }

  public Path checkpointsDir() {
    return dir.resolve("checkpoints");
  }

  public Path checkpoint(int step) {
    return checkpointsDir().resolve("checkpoint-" + step);
  }

  /** Appends one metrics line and forces it to disk: a killed run keeps every line logged before. */
  public void appendMetrics(Map<String, Object> metrics) {
    appendMetrics(dir, metrics);
  }

  /** {@link #appendMetrics} for any job's folder (an eval logs its progress the same way). */
  public static void appendMetrics(Path dir, Map<String, Object> metrics) {
    byte[] line = (Json.write(metrics) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(dir.resolve(METRICS),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      channel.write(java.nio.ByteBuffer.wrap(line));
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir.resolve(METRICS) + ": " + e.getMessage(), e);
    }
  }

  /** The logged metrics, in order; a torn last line (a kill mid-write) is skipped. */
  public List<JsonNode> metrics() {
    return metrics(dir);
  }

  /** {@link #metrics()} of any job's folder; empty when it has logged nothing. */
  public static List<JsonNode> metrics(Path dir) {
    Path file = dir.resolve(METRICS);
    List<JsonNode> lines = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return lines;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          lines.add(Json.MAPPER.readTree(line));
        } catch (RuntimeException e) {
          // only the last line can be torn; anything else unreadable is not ours to guess at either
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return lines;
  }

  /** Drops metrics logged after {@code step}: a resumed run logs those steps again. */
  public void truncateMetrics(int step) {
    StringBuilder kept = new StringBuilder();
    for (JsonNode line : metrics()) {
      if (line.path("step").asInt(Integer.MAX_VALUE) <= step) {
        kept.append(Json.write(line)).append('\n');
      }
    }
    AtomicFiles.writeStringUnchecked(dir.resolve(METRICS), kept.toString());
  }

  /** Completed checkpoints by step, oldest first; half-written ones are hidden temporary folders and not listed. */
  public List<Integer> checkpointSteps() {
    if (!Files.isDirectory(checkpointsDir())) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(checkpointsDir())) {
      return entries
          .map(p -> CHECKPOINT.matcher(p.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> Integer.parseInt(m.group(1)))
          .filter(step -> Files.isRegularFile(checkpoint(step).resolve(TRAINER_STATE)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpointsDir() + ": " + e.getMessage(), e);
    }
  }

  public Optional<Integer> latestCheckpoint() {
    List<Integer> steps = checkpointSteps();
    return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
  }

  /** Deletes the oldest checkpoints beyond {@code keep}. */
  public void pruneCheckpoints(int keep) {
    List<Integer> steps = checkpointSteps();
    for (int i = 0; i < steps.size() - keep; i++) {
      try {
        AtomicFiles.deleteRecursively(checkpoint(steps.get(i)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + checkpoint(steps.get(i)) + ": " + e.getMessage(), e);
      }
    }
  }

  public void writeResult(Map<String, Object> result) {
    AtomicFiles.writeStringUnchecked(dir.resolve(RESULT), Json.writePretty(result) + "\n");
  }
}
