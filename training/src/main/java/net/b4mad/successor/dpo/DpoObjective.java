package net.b4mad.successor.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.train.ChatEncoder;
import net.b4mad.successor.train.DataFiles;
import net.b4mad.successor.json.JsonLines;
import net.b4mad.successor.train.Objective;
import net.b4mad.successor.train.RunDirectory;
import net.b4mad.successor.train.TokenBatch;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.train.TrainingPass;
import net.b4mad.successor.train.TrainingSequence;
import tools.jackson.databind.JsonNode;

/**
 * Direct preference optimisation. With {@code d = (log pi(chosen) - log pi(rejected)) - (log ref(chosen) -
 * log ref(rejected))}, summed over each answer's tokens: sigmoid loss {@code -log sigmoid(beta d)} (the DPO
 * paper), or IPO's {@code (d - 1/(2 beta))^2} on per-token mean log-probabilities, as TRL computes them.
 *
 * <p>The reference model is the policy as it starts: the base with a fresh adapter (whose B = 0 leaves the base's
 * outputs), or the starting adapter frozen. Its log-probabilities cannot change, so they are computed once,
 * without gradients and without dropout, before the first step, and kept in {@code reference_logps.json} for a
 * resumed run (whose policy has moved on). At step 0 the policy equals the reference, so the sigmoid loss is
 * exactly ln 2. Logged as TRL does: {@code rewards/chosen}, {@code rewards/rejected} ({@code beta} times the
 * log-ratio to the reference), {@code rewards/accuracies}, {@code rewards/margins}, {@code logps/chosen},
 * {@code logps/rejected}.
 */
public final class DpoObjective implements Objective {

  static final String REFERENCE_FILE = "reference_logps.json";

  private final Qwen3Model model;
  private final List<TrainingSequence[]> train;
  private final List<TrainingSequence[]> eval;
  private final double[][] trainReference;
  private final double[][] evalReference;
  private final double beta;
  private final boolean ipo;
  private final int batchSize;
  private final Map<String, Object> report;

  private DpoObjective(Qwen3Model model, List<TrainingSequence[]> train, List<TrainingSequence[]> eval,
      double[][] trainReference, double[][] evalReference, TrainingConfig config, Map<String, Object> report) {
    this.model = model;
    this.train = train;
    this.eval = eval;
    this.trainReference = trainReference;
    this.evalReference = evalReference;
    this.beta = config.beta();
    this.ipo = config.lossType().equals("ipo");
    this.batchSize = config.batchSize();
    this.report = report;
  }

  /**
   * Reads the pairs and gets the reference log-probabilities: computed now with the model as loaded (which must
   * be the starting policy), or read back from the run directory when {@code resuming}.
   */
  public static DpoObjective load(Qwen3Model model, ChatEncoder encoder, DataFiles files, TrainingConfig config,
      RunDirectory run, boolean resuming) {
    Map<String, Object> report = new LinkedHashMap<>();
    List<TrainingSequence[]> train = encode(files.train(), encoder, config.maxLength(), report, "train");
    List<TrainingSequence[]> eval =
        files.eval() == null ? List.of() : encode(files.eval(), encoder, config.maxLength(), report, "eval");
    Path referenceFile = run.dir().resolve(REFERENCE_FILE);
    double[][] trainReference;
    double[][] evalReference;
    TrainingPass pass = new TrainingPass(model, false);
    if (resuming) {
      JsonNode saved = Json.readTree(referenceFile);
      trainReference = Json.MAPPER.convertValue(saved.get("train"), double[][].class);
      evalReference = Json.MAPPER.convertValue(saved.get("eval"), double[][].class);
      if (trainReference.length != train.size() || evalReference.length != eval.size()) {
        throw new IllegalStateException(
            referenceFile + " was computed for " + trainReference.length + " train and " + evalReference.length
                + " eval pairs, the data now has " + train.size() + " and " + eval.size()
                + ": the dataset changed since the run started; start a new run");
      }
    } else {
      trainReference = referenceLogProbs(model, pass, train, config.batchSize());
      evalReference = referenceLogProbs(model, pass, eval, config.batchSize());
      Map<String, Object> saved = new LinkedHashMap<>();
      saved.put("train", trainReference);
      saved.put("eval", evalReference);
      AtomicFiles.writeStringUnchecked(referenceFile, Json.write(saved) + "\n");
    }
    return new DpoObjective(model, train, eval, trainReference, evalReference, config, report);
  }

  private static List<TrainingSequence[]> encode(
      Path file, ChatEncoder encoder, int maxLength, Map<String, Object> report, String split) {
    List<PreferencePair> pairs = JsonLines.read(file, PreferencePair::parse);
    List<TrainingSequence[]> kept = new ArrayList<>();
    int tooLong = 0;
    for (PreferencePair pair : pairs) {
      TrainingSequence[] sequences = pair.encode(encoder);
      if (Math.max(sequences[0].length(), sequences[1].length()) > maxLength) {
        tooLong++;
      } else {
        kept.add(sequences);
      }
    }
    report.put(split + "_file", file.toString());
    report.put(split + "_pairs_read", pairs.size());
    report.put(split + "_pairs", kept.size());
    report.put(split + "_dropped_longer_than_max_length", tooLong);
    return kept;
  }

  /** Per pair {log ref(chosen), log ref(rejected)}, summed over each completion's tokens. */
  private static double[][] referenceLogProbs(
      Qwen3Model model, TrainingPass pass, List<TrainingSequence[]> pairs, int batchSize) {
    double[][] reference = new double[pairs.size()][];
    for (int from = 0; from < pairs.size(); from += batchSize) {
      int to = Math.min(pairs.size(), from + batchSize);
      TokenBatch batch = batch(pairs, range(from, to));
      try (NDManager scope = model.manager().newSubManager()) {
        float[] logps = batch.sequenceLogProbs(model, pass.hidden(scope, batch.tokens(), batch.padding())).toFloatArray();
        int count = to - from;
        for (int i = 0; i < count; i++) {
          reference[from + i] = new double[] {logps[i], logps[count + i]};
        }
      }
    }
    return reference;
  }

  private static int[] range(int from, int to) {
    int[] items = new int[to - from];
    for (int i = 0; i < items.length; i++) {
      items[i] = from + i;
    }
    return items;
  }

  /** Chosen answers first, then the rejected ones in the same order. */
  private static TokenBatch batch(List<TrainingSequence[]> pairs, int[] items) {
    List<TrainingSequence> sequences = new ArrayList<>();
    for (int item : items) {
      sequences.add(pairs.get(item)[0]);
    }
    for (int item : items) {
      sequences.add(pairs.get(item)[1]);
    }
    return TokenBatch.of(sequences);
  }

  @Override
  public int[] trainLengths() {
    return train.stream().mapToInt(pair -> Math.max(pair[0].length(), pair[1].length())).toArray();
  }

  @Override
  public double units(List<int[]> microBatches) {
    return microBatches.stream().mapToInt(batch -> batch.length).sum();
  }

  @Override
  public Map<String, Double> train(
      NDManager step, TrainingPass pass, int[] items, double units, IntConsumer beforeLayer) {
    TokenBatch batch = batch(train, items);
    float[][] policy = new float[1][];
    float loss = pass.backward(step, batch.tokens(), batch.padding(), hidden -> {
      NDArray logps = batch.sequenceLogProbs(model, hidden);
      policy[0] = logps.toFloatArray();
      NDArray total = loss(logps, batch, reference(trainReference, items), step).sum();
      return total.div(total.getManager().create((float) units)); // not div(Number): see Qwen3Attention
    }, beforeLayer);
    Map<String, Double> metrics = rewardMetrics(policy[0], trainReference, items, units);
    metrics.put("loss", (double) loss);
    metrics.put("tokens", (double) batch.realTokens());
    return metrics;
  }

  /** Per-pair losses {@code [P]} from the policy's sequence log-probs {@code [2P]} (chosen, then rejected). */
  private NDArray loss(NDArray logps, TokenBatch batch, float[] reference, NDManager manager) {
    int pairs = batch.size() / 2;
    NDArray scores = logps;
    float[] referenceScores = reference.clone();
    if (ipo) {
      int[] counts = batch.targetCounts();
      float[] inverse = new float[counts.length];
      for (int i = 0; i < counts.length; i++) {
        inverse[i] = 1f / counts[i];
        referenceScores[i] *= inverse[i];
      }
      scores = logps.mul(manager.create(inverse));
    }
    NDArray reference0 = manager.create(referenceScores);
    NDArray ratio = scores.sub(reference0);
    NDArray d = ratio.get("0:" + pairs).sub(ratio.get(pairs + ":"));
    if (ipo) {
      return d.sub((float) (1 / (2 * beta))).square();
    }
    return Activation.softPlus(d.mul(d.getManager().create((float) -beta)));
  }

  /** The reference scores of the items in the batch's order: chosen ones, then rejected ones. */
  private static float[] reference(double[][] reference, int[] items) {
    float[] values = new float[2 * items.length];
    for (int i = 0; i < items.length; i++) {
      values[i] = (float) reference[items[i]][0];
      values[items.length + i] = (float) reference[items[i]][1];
    }
    return values;
  }

  /** TRL's reward metrics, each as the batch's share of the step's mean. */
  private Map<String, Double> rewardMetrics(float[] policy, double[][] reference, int[] items, double units) {
    double chosen = 0;
    double rejected = 0;
    double accuracy = 0;
    double policyChosen = 0;
    double policyRejected = 0;
    int pairs = items.length;
    for (int i = 0; i < pairs; i++) {
      double c = beta * (policy[i] - reference[items[i]][0]);
      double r = beta * (policy[pairs + i] - reference[items[i]][1]);
      chosen += c;
      rejected += r;
      accuracy += c > r ? 1 : 0;
      policyChosen += policy[i];
      policyRejected += policy[pairs + i];
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rewards/chosen", chosen / units);
    metrics.put("rewards/rejected", rejected / units);
    metrics.put("rewards/accuracies", accuracy / units);
    metrics.put("rewards/margins", (chosen - rejected) / units);
    metrics.put("logps/chosen", policyChosen / units);
    metrics.put("logps/rejected", policyRejected / units);
    return metrics;
  }

  @Override
  public Map<String, Double> evaluate(NDManager manager, TrainingPass pass) {
    if (eval.isEmpty()) {
      return Map.of();
    }
    Map<String, Double> sums = new LinkedHashMap<>();
    for (int from = 0; from < eval.size(); from += batchSize) {
      int[] items = range(from, Math.min(eval.size(), from + batchSize));
      TokenBatch batch = batch(eval, items);
      try (NDManager scope = manager.newSubManager()) {
        NDArray logps = batch.sequenceLogProbs(model, pass.hidden(scope, batch.tokens(), batch.padding()));
        double loss = loss(logps, batch, reference(evalReference, items), scope).sum().getFloat();
        sums.merge("loss", loss / eval.size(), Double::sum);
        rewardMetrics(logps.toFloatArray(), evalReference, items, eval.size())
            .forEach((key, value) -> sums.merge(key, value, Double::sum));
      }
    }
    return sums;
  }

  @Override
  public Map<String, Object> dataReport() {
    return report;
  }
}
