package net.b4mad.successor.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.*;
import java.util.*;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.*;
import net.b4mad.successor.optim.Gradients;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.safetensors.*;
import net.b4mad.successor.quant.Nf4Tensor;

/**
 * Inputs for a cross-check against transformers + PEFT (+ bitsandbytes) on a machine with a Python torch stack,
 * which this one lacks: a PEFT adapter (rank 4, all linear, B random) on the qwen3-tiny untied-f32 fixture, a token
 * sequence, a right-padded batch with trained positions, our scores, loss and LoRA gradients for them, our merges
 * (F32, BF16) and our NF4 quantisation of one weight. {@code peft_crosscheck.py} (beside this class in the test
 * resources) loads the same in PyTorch, compares, and writes {@code reference.json}, to be brought back as a fixture.
 *
 * <p>Run: {@code java -cp <test classpath> net.b4mad.successor.train.PeftCrossCheck OUT_DIR ../shared/fixtures}, then
 * {@code python3 peft_crosscheck.py} with {@code OUT_DIR} as its folder.
 */
public final class PeftCrossCheck {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Path shared = Path.of(args[1]);
    Path base = out.resolve("base");
    Files.createDirectories(base);
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(shared.resolve("qwen3-tiny/untied-f32").resolve(f), base.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    int[] sequence = {3, 17, 256, 999, 42, 42, 7, 511, 128, 5, 900, 64};
    int[][] rows = {{11, 250, 3, 77, 301, 512, 8, 19, 1000, 44, 2, 600}, {5, 6, 7, 800, 9, 10, 123, 321}};
    int[][] trainedFrom = {{4}, {2}};
    List<TrainingSequence> batch = new ArrayList<>();
    for (int b = 0; b < rows.length; b++) {
      boolean[] trained = new boolean[rows[b].length];
      for (int t = trainedFrom[b][0]; t < trained.length; t++) trained[t] = true;
      batch.add(new TrainingSequence("b" + b, rows[b], trained));
    }
    LoraConfig config = new LoraConfig(4, 8, 0.0, LoraConfig.ALL_LINEAR, false, "qwen3-tiny-untied-f32");
    Map<String, Object> java = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(config, 1, manager);
      try (Qwen3Model model = Qwen3Model.load(base, manager, lora)) {
        lora.parameters().forEach((key, p) -> {
          if (key.contains("lora_B")) p.set(manager.randomNormal(0, 0.05f, p.getShape(), p.getDataType()).toFloatArray());
        });
        lora.saveAtomically(out.resolve("adapter"));
        java.put("logprobs", model.score(sequence));
        TokenBatch tokens = TokenBatch.of(batch);
        TrainingPass pass = new TrainingPass(model, true);
        float loss;
        try (NDManager step = manager.newSubManager()) {
          loss = pass.backward(step, tokens.tokens(), tokens.padding(), hidden -> {
            NDArray total = tokens.targetLogProbs(model, hidden).sum().neg();
            return total.div(total.getManager().create((float) tokens.targetCount())); // not div(Number): see Qwen3Attention
          }, l -> {});
        }
        java.put("loss", loss);
        Map<String, float[]> grads = new LinkedHashMap<>();
        try (NDManager scratch = manager.newSubManager()) {
          lora.parameters().forEach((key, p) -> grads.put(key, Gradients.of(p, scratch).toFloatArray()));
        }
        java.put("grads", grads);
      }
    }
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("sequence", sequence);
    inputs.put("rows", rows);
    inputs.put("trained_from", new int[] {4, 2});
    Files.writeString(out.resolve("inputs.json"), Json.write(inputs));
    Files.writeString(out.resolve("java.json"), Json.write(java));
    for (Dtype dtype : List.of(Dtype.F32, Dtype.BF16)) {
      LoraMerge.merge(base, out.resolve("adapter"), out.resolve("merged-" + dtype.name().toLowerCase()), dtype, true,
          SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    }
    try (SafetensorsFile weights = SafetensorsFile.open(base.resolve("model.safetensors"))) {
      String name = "model.layers.0.mlp.down_proj.weight";
      float[] w = weights.readFloats(name);
      Nf4Tensor q = Nf4Tensor.quantise(w, weights.info(name).shapeArray());
      Map<String, Object> nf4 = new LinkedHashMap<>();
      nf4.put("tensor", name);
      nf4.put("dequantised", q.dequantise());
      nf4.put("codes", unsigned(q.codes()));
      nf4.put("absmax", q.absmax());
      nf4.put("bits_per_weight", q.bitsPerWeight());
      Files.writeString(out.resolve("nf4.json"), Json.write(nf4));
    }
  }

  static int[] unsigned(byte[] bytes) {
    int[] values = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) values[i] = bytes[i] & 0xFF;
    return values;
  }
}
