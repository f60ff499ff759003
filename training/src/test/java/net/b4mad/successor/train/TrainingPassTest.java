package net.b4mad.successor.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import net.b4mad.successor.chat.Conversation;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.json.JsonLines;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.lora.TrainableLora;
import net.b4mad.successor.optim.Gradients;
import net.b4mad.successor.qwen3.Qwen3Model;
import net.b4mad.successor.tokenizer.Qwen3Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingPassTest {

  @TempDir static Path dir;
  static Path model;
  static List<TrainingSequence> sequences;

  @BeforeAll
  static void prepare() {
    model = TinyChatModel.write(dir.resolve("model"));
    Path data = TinyChatModel.examples(dir.resolve("train.jsonl"), 3);
    try (Qwen3Tokenizer tokenizer = Qwen3Tokenizer.load(model)) {
      ChatEncoder encoder = new ChatEncoder(tokenizer, false);
      sequences = JsonLines.read(data, (record, at) -> encoder.encode(at, Conversation.parse(record)));
    }
  }

  /**
   * Recomputing each layer in the backward pass gives the gradients of one pass through the whole graph, those of
   * modules trained in full included (the embedding's too, though it lies below the first recomputed layer).
   */
  @Test
  void checkpointingGivesTheSameGradientsAsThePlainBackwardPass() {
    LoraConfig config = new LoraConfig(4, 8, 0.2, LoraConfig.ALL_LINEAR, false, null,
        List.of("embed_tokens", "lm_head", "norm"));
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(config, 3, manager);
      try (Qwen3Model qwen = Qwen3Model.load(model, manager, lora, lora::fullTensor)) {
        // B = 0 would leave A's gradient zero; give B values so both matrices get a gradient.
        lora.parameters().forEach((key, p) -> {
          if (key.contains("lora_B")) {
            p.set(manager.randomNormal(0, 0.1f, p.getShape(), p.getDataType()).toFloatArray());
          }
        });
        lora.dropout().train(true);
        TokenBatch batch = TokenBatch.of(sequences);
        float plainLoss = backward(qwen, lora, batch, false);
        Map<String, float[]> plain = gradients(lora, manager);
        Gradients.zero(lora.parameters().values(), manager);
        float checkpointedLoss = backward(qwen, lora, batch, true);
        Map<String, float[]> checkpointed = gradients(lora, manager);

        assertEquals(plainLoss, checkpointedLoss, 1e-5);
        assertEquals(plain.keySet(), checkpointed.keySet());
        double largest = 0;
        assertTrue(plain.containsKey(LoraConfig.savedKey(Qwen3Model.EMBED_TOKENS)), plain.keySet().toString());
        for (String key : plain.keySet()) {
          assertArrayEquals(plain.get(key), checkpointed.get(key), 1e-5f, key);
          for (float g : plain.get(key)) {
            largest = Math.max(largest, Math.abs(g));
          }
        }
        assertTrue(largest > 1e-3, "the gradients are not all zero: " + largest);
      }
    }
  }

  private static float backward(Qwen3Model qwen, TrainableLora lora, TokenBatch batch, boolean checkpointing) {
    IntConsumer reseed = layer -> Engine.getInstance().setRandomSeed(100 + layer);
    try (NDManager step = qwen.manager().newSubManager()) {
      return new TrainingPass(qwen, checkpointing).backward(step, batch.tokens(), batch.padding(),
          hidden -> batch.targetLogProbs(qwen, hidden).mean().neg(), reseed);
    }
  }

  private static Map<String, float[]> gradients(TrainableLora lora, NDManager manager) {
    Map<String, float[]> gradients = new LinkedHashMap<>();
    try (NDManager scratch = manager.newSubManager()) {
      lora.parameters().forEach((key, p) -> gradients.put(key, Gradients.of(p, scratch).toFloatArray()));
    }
    return gradients;
  }

  /** Training steps leave no arrays behind in the model's manager: memory stays flat over a long run. */
  @Test
  void stepsLeaveNoArraysBehind() {
    LoraConfig config = new LoraConfig(4, 8, 0.1, LoraConfig.ALL_LINEAR, false, null);
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(config, 3, manager);
      try (Qwen3Model qwen = Qwen3Model.load(model, manager, lora)) {
        net.b4mad.successor.optim.AdamW adam = new net.b4mad.successor.optim.AdamW(
            new net.b4mad.successor.optim.AdamW.Settings(0.9, 0.999, 1e-8, 0.01), lora.parameters(), manager);
        TokenBatch batch = TokenBatch.of(sequences);
        int[] counts = new int[4];
        for (int i = 0; i < counts.length; i++) {
          lora.dropout().train(true);
          backward(qwen, lora, batch, i % 2 == 0);
          lora.dropout().train(false);
          Gradients.clipByGlobalNorm(lora.parameters().values(), 1.0, manager);
          adam.step(1e-3);
          counts[i] = manager.getManagedArrays().size();
        }
        assertEquals(counts[1], counts[3], "arrays held after steps 2 and 4 " + Json.write(counts));
      }
    }
  }

  /**
   * DJL builds the operand of mul(Number) and div(Number) from a Java buffer that it frees at once, while autograd
   * keeps that operand for the backward pass; a garbage collection in between let the backward pass read freed,
   * reused memory. No scalar operand of a training pass may be made that way: collecting garbage and churning
   * native memory between forward and backward must not change a single gradient.
   */
  @Test
  void garbageCollectedBetweenForwardAndBackwardTheGradientsStayTheSame() {
    LoraConfig config = new LoraConfig(4, 8, 0.0, LoraConfig.ALL_LINEAR, false, null);
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainableLora lora = TrainableLora.fresh(config, 3, manager);
      try (Qwen3Model qwen = Qwen3Model.load(model, manager, lora)) {
        lora.parameters().forEach((key, p) -> {
          if (key.contains("lora_B")) {
            p.set(manager.randomNormal(0, 0.1f, p.getShape(), p.getDataType()).toFloatArray());
          }
        });
        TokenBatch batch = TokenBatch.of(sequences);
        Map<String, float[]> quiet = null;
        for (int run = 0; run < 3; run++) {
          boolean churn = run > 0;
          Gradients.zero(lora.parameters().values(), manager);
          try (NDManager step = qwen.manager().newSubManager()) {
            new TrainingPass(qwen, run == 2).backward(step, batch.tokens(), batch.padding(), hidden -> {
              NDArray loss = batch.targetLogProbs(qwen, hidden).mean().neg();
              if (churn) {
                churnNativeMemory();
              }
              return loss;
            }, layer -> {});
          }
          Map<String, float[]> gradients = gradients(lora, manager);
          if (quiet == null) {
            quiet = gradients;
          } else {
            for (String key : quiet.keySet()) {
              assertArrayEquals(quiet.get(key), gradients.get(key), run == 2 ? 1e-5f : 0f, key);
            }
          }
        }
      }
    }
  }

  /** Frees what the collector can free, then takes small native blocks and fills them, as later work would. */
  private static void churnNativeMemory() {
    List<java.nio.ByteBuffer> taken = new java.util.ArrayList<>();
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int i = 0; i < 20_000; i++) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(4 + (i % 8) * 4);
        while (buffer.hasRemaining()) {
          buffer.put((byte) 0x7f);
        }
        taken.add(buffer);
      }
    }
    taken.clear();
  }
}
