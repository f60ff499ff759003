package net.b4mad.successor.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.train.ChatEncoder;
import net.b4mad.successor.train.DataFiles;
import net.b4mad.successor.json.JsonLines;
import net.b4mad.successor.train.Objective;
import net.b4mad.successor.train.TokenBatch;
import net.b4mad.successor.train.TrainingPass;
import net.b4mad.successor.train.TrainingSequence;

/**
 * Supervised fine-tuning: next-token cross-entropy on the trained tokens (the assistant turns, tool calls
 * included, unless the whole sequence is trained), averaged over all trained tokens of an optimizer step.
 * Examples are chat conversations in the OpenAI / TRL form ({@code messages}, {@code tools}), one per line, as
 * dataset versions store them. An example longer than {@code max_length} is dropped and counted, never cut:
 * a cut could end inside a tool call and teach the model to stop mid-call.
 */
public final class SftObjective implements Objective {

  private final Qwen3Model model;
  private final List<TrainingSequence> train;
  private final List<TrainingSequence> eval;
  private final int evalBatchSize;
  private final Map<String, Object> report;

  SftObjective(Qwen3Model model, List<TrainingSequence> train, List<TrainingSequence> eval, int evalBatchSize,
      Map<String, Object> report) {
    this.model = model;
    this.train = train;
    this.eval = eval;
    this.evalBatchSize = evalBatchSize;
    this.report = report;
  }

  /** Reads, renders and tokenises the data files. */
  public static SftObjective load(Qwen3Model model, ChatEncoder encoder, DataFiles files, int maxLength, int batchSize) {
    Map<String, Object> report = new LinkedHashMap<>();
    List<TrainingSequence> train = encode(files.train(), encoder, maxLength, report, "train");
    List<TrainingSequence> eval =
        files.eval() == null ? List.of() : encode(files.eval(), encoder, maxLength, report, "eval");
    return new SftObjective(model, train, eval, batchSize, report);
  }

  private static List<TrainingSequence> encode(
      Path file, ChatEncoder encoder, int maxLength, Map<String, Object> report, String split) {
    List<TrainingSequence> read = JsonLines.read(file, (record, location) ->
        encoder.encode(record.path("id").asString(location), Conversation.parse(record)));
    List<TrainingSequence> kept = new ArrayList<>();
    int tooLong = 0;
    int nothingToTrain = 0;
    long tokens = 0;
    long trained = 0;
    for (TrainingSequence sequence : read) {
      if (sequence.length() > maxLength) {
        tooLong++;
      } else if (sequence.trainedCount() == 0) {
        nothingToTrain++;
      } else {
        kept.add(sequence);
        tokens += sequence.length();
        trained += sequence.trainedCount();
      }
    }
    report.put(split + "_file", file.toString());
    report.put(split + "_examples_read", read.size());
    report.put(split + "_examples", kept.size());
    report.put(split + "_dropped_longer_than_max_length", tooLong);
    report.put(split + "_dropped_without_assistant_tokens", nothingToTrain);
    report.put(split + "_tokens", tokens);
    report.put(split + "_trained_tokens", trained);
    return kept;
  }

  @Override
  public int[] trainLengths() {
    return train.stream().mapToInt(TrainingSequence::length).toArray();
  }

  @Override
  public double units(List<int[]> microBatches) {
    long trained = 0;
    for (int[] batch : microBatches) {
      for (int item : batch) {
        trained += train.get(item).trainedCount();
      }
    }
    return trained;
  }

  @Override
  public Map<String, Double> train(
      NDManager step, TrainingPass pass, int[] items, double units, IntConsumer beforeLayer) {
    List<TrainingSequence> sequences = new ArrayList<>();
    for (int item : items) {
      sequences.add(train.get(item));
    }
    TokenBatch batch = TokenBatch.of(sequences);
    float loss = pass.backward(step, batch.tokens(), batch.padding(),
        hidden -> {
          NDArray total = batch.targetLogProbs(model, hidden).sum().neg();
          return total.div(total.getManager().create((float) units)); // not div(Number): see Qwen3Attention
        }, beforeLayer);
    return Map.of("loss", (double) loss, "tokens", (double) batch.realTokens());
  }

  /** Mean next-token loss over all trained tokens of the eval split. */
  @Override
  public Map<String, Double> evaluate(NDManager manager, TrainingPass pass) {
    if (eval.isEmpty()) {
      return Map.of();
    }
    List<TrainingSequence> sorted = new ArrayList<>(eval);
    sorted.sort(Comparator.comparingInt(TrainingSequence::length));
    double sum = 0;
    long count = 0;
    for (int from = 0; from < sorted.size(); from += evalBatchSize) {
      TokenBatch batch = TokenBatch.of(sorted.subList(from, Math.min(sorted.size(), from + evalBatchSize)));
      try (NDManager scope = manager.newSubManager()) {
        NDArray hidden = pass.hidden(scope, batch.tokens(), batch.padding());
        sum -= batch.targetLogProbs(model, hidden).sum().getFloat();
        count += batch.targetCount();
      }
    }
    return Map.of("loss", sum / count);
  }

  @Override
  public Map<String, Object> dataReport() {
    return report;
  }
}
