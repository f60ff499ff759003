package net.b4mad.successor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import net.b4mad.successor.fixtures.SharedFixtures;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import org.junit.jupiter.api.Test;

class MemoryEstimatorTest {

  private static final double GIB = 1L << 30;
  private static final long GPU = MemoryEstimator.RTX_4090_BYTES;

  /** A Llama in Qwen3's numbers: Llama has no q/k head norms, which add 2 * head_dim weights per layer. */
  private static Qwen3Config llama(int vocab, int intermediate, int kvHeads) {
    return new Qwen3Config(vocab, 4096, intermediate, 32, 32, kvHeads, 128, 1e-5, 5e5, false, 8192, "bfloat16",
        null, List.of());
  }

  private static ModelShape qwen3(String name) {
    return ModelShape.read(SharedFixtures.resolve("qwen3-configs/" + name + ".config.json"));
  }

  @Test
  void qloraPapersLlama7bBaseLands23PercentBelowItsMeasurement() {
    // QLoRA paper, section 2: "the 4-bit base model consumes 5,048 MB of memory" for LLaMA-7B.
    ModelShape llama7b = ModelShape.dense(llama(32000, 11008, 32));
    MemoryEstimate estimate = MemoryEstimator.estimate(llama7b, TrainingSetup.allLinear(true, 64, 1, 512), GPU);

    assertEquals(6_738_415_616L + 32 * 2 * 128, estimate.baseParameters(), "LLaMA-7B's parameter count");
    // 6.48e9 NF4 weights at 4.127 bits + 2 * 131M embedding weights at 16 bits
    assertEquals(3_865.6e6, estimate.baseWeights(), 0.1e6);
    // 23% below the paper's measurement; PEFT's prepare_model_for_kbit_training, which the paper's code runs,
    // makes the embedding and LM head fp32 (+524 MB, 13% below); the rest is probably the CUDA context.
    assertEquals(0.766, estimate.baseWeights() / 5_048e6, 0.001);
  }

  @Test
  void torchtunesLlama31_8bQloraOnAn4090LandsWithin10PercentOnceItsChunkedLossIsAccountedFor() {
    // torchtune README: Llama 3.1 8B QLoRA, 1x 4090, 7.4 GiB peak; recipe llama3_1/8B_qlora_single_device: rank 8
    // on q, k, v, output and the MLP, batch 2, packed to 2,048 tokens, activation checkpointing, torch.compile.
    ModelShape llama31 = ModelShape.dense(llama(128256, 14336, 8));
    MemoryEstimate estimate = MemoryEstimator.estimate(llama31, TrainingSetup.allLinear(true, 8, 2, 2048), GPU);

    assertEquals(32 * 655_360, estimate.trainableParameters(), "rank 8 on the seven projections of 32 layers");
    assertEquals(5.31, estimate.baseWeights() / GIB, 0.01);
    double withoutOverhead = (estimate.total() - estimate.overhead()) / GIB;
    assertEquals(11.52, withoutOverhead, 0.01, "as transformers computes the loss: unchunked, fp32");
    // torchtune's CEWithChunkedOutputLoss keeps 16-bit logits and makes one of its 8 chunks fp32 at a time
    // (copy + log-softmax): 2 + 8 / 8 bytes per logit instead of 10.
    long tokens = 2 * 2048;
    double chunked = tokens * 128256L * 3 / GIB;
    double torchtuneLike = withoutOverhead - estimate.logits() / GIB + chunked;
    assertEquals(8.09, torchtuneLike, 0.01);
    assertEquals(1.09, torchtuneLike / 7.4, 0.01, "9% above torchtune's allocator peak (which omits the CUDA context)");
  }

  @Test
  void qwen3_8bFitsA4090WithQloraAndWithLora() {
    ModelShape qwen3_8b = qwen3("Qwen3-8B");
    MemoryEstimate qlora = MemoryEstimator.estimate(qwen3_8b, TrainingSetup.allLinear(true, 16, 1, 2048), GPU);
    MemoryEstimate lora = MemoryEstimator.estimate(qwen3_8b, TrainingSetup.allLinear(false, 16, 1, 2048), GPU);

    assertEquals(8_190_735_360L, qlora.baseParameters(), "Qwen3-8B's 8.2B");
    assertEquals(10.77, qlora.total() / GIB, 0.01);
    assertEquals(20.37, lora.total() / GIB, 0.01);
    assertTrue(qlora.fits() && lora.fits());
    // the logits of 2,048 tokens over 151,936 words outweigh all 36 checkpointed layer inputs together
    assertTrue(qlora.logits() > 5 * qlora.activations());
  }

  @Test
  void qwen3_30bA3bCountsEveryExpertAndNeedsQloraWithAttentionOnlyAdaptersOnA4090() {
    ModelShape moe = qwen3("Qwen3-30B-A3B");
    assertTrue(moe.isMixtureOfExperts());
    assertEquals(48, moe.sparseLayers());
    TrainingSetup attentionOnly =
        new TrainingSetup(true, 16, List.of("q_proj", "k_proj", "v_proj", "o_proj"), List.of(), 1, 2048, true);

    MemoryEstimate qlora = MemoryEstimator.estimate(moe, TrainingSetup.allLinear(true, 16, 1, 2048), GPU);
    MemoryEstimate lora = MemoryEstimator.estimate(moe, TrainingSetup.allLinear(false, 16, 1, 2048), GPU);
    MemoryEstimate attention = MemoryEstimator.estimate(moe, attentionOnly, GPU);

    assertEquals(30.53e9, qlora.baseParameters(), 0.01e9, "Qwen3-30B-A3B's 30.5B");
    // all-linear LoRA puts an adapter on each of 128 experts in 48 layers: 844M trainable weights, 12.6 GiB in fp32
    assertEquals(843.8e6, qlora.trainableParameters(), 0.1e6);
    assertEquals(32.38, qlora.total() / GIB, 0.01);
    assertEquals(73.72, lora.total() / GIB, 0.01);
    assertEquals(20.00, attention.total() / GIB, 0.01);
    assertFalse(qlora.fits());
    assertFalse(lora.fits());
    assertTrue(attention.fits());
  }

  @Test
  void activationsFollowTheDocumentedPerLayerFormula() {
    ModelShape small = qwen3("Qwen3-0.6B");
    Qwen3Config c = small.config();
    long h = c.hiddenSize();
    long q = (long) c.numAttentionHeads() * c.headDim();
    long kv = (long) c.numKeyValueHeads() * c.headDim();
    long perToken = 2 * 6 * h + 2 * (4 * q + 4 * kv) + 2 * 4 * c.intermediateSize();
    long tokens = 4 * 1024;
    TrainingSetup checkpointed = TrainingSetup.allLinear(false, 16, 4, 1024);
    TrainingSetup stored = new TrainingSetup(false, 16, checkpointed.targetModules(), List.of(), 4, 1024, false);

    MemoryEstimate with = MemoryEstimator.estimate(small, checkpointed, GPU);
    MemoryEstimate without = MemoryEstimator.estimate(small, stored, GPU);

    assertEquals(c.numHiddenLayers() * tokens * 2 * h, with.activations());
    assertEquals(tokens * perToken, with.recomputedLayer());
    assertEquals(c.numHiddenLayers() * tokens * perToken, without.activations());
    assertEquals(0, without.recomputedLayer());
    assertEquals(tokens * c.vocabSize() * 10, with.logits());
    assertEquals(Qwen3Layout.parameterCount(c), with.baseParameters());
    assertEquals(2 * Qwen3Layout.parameterCount(c), with.baseWeights(), "16-bit weights");
  }

  @Test
  void fullyTrainedModulesAndTheirOptimizerStateCountInFp32() {
    ModelShape qwen3_8b = qwen3("Qwen3-8B");
    TrainingSetup adapterOnly = TrainingSetup.allLinear(true, 16, 1, 512);
    TrainingSetup withHead = new TrainingSetup(true, 16, adapterOnly.targetModules(), List.of("lm_head"), 1, 512, true);

    MemoryEstimate base = MemoryEstimator.estimate(qwen3_8b, adapterOnly, GPU);
    MemoryEstimate head = MemoryEstimator.estimate(qwen3_8b, withHead, GPU);

    long headWeights = 151_936L * 4096;
    assertEquals(base.trainableParameters() + headWeights, head.trainableParameters());
    assertEquals(4 * base.trainableParameters(), base.adapterWeights());
    assertEquals(16 * headWeights, head.total() - base.total(), "weights, gradients and two AdamW moments");
  }

  @Test
  void aFullFineTuneTrainsEveryParameter() {
    ModelShape qwen3_8b = qwen3("Qwen3-8B");
    TrainingSetup full = new TrainingSetup(false, 16, List.of(), LoraConfig.EVERY_MODULE, 1, 512, true);

    MemoryEstimate estimate = MemoryEstimator.estimate(qwen3_8b, full, GPU);

    assertEquals(Qwen3Layout.parameterCount(qwen3_8b.config()), estimate.trainableParameters());
    assertEquals(estimate.baseParameters(), estimate.trainableParameters());
  }

  @Test
  void badSetupsAndConfigsAreRefusedWithTheFix() {
    IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
        () -> new TrainingSetup(true, 8, List.of("qkv_proj"), List.of(), 1, 1, true));
    assertTrue(target.getMessage().contains("choose from"), target.getMessage());
    IllegalArgumentException saved = assertThrows(IllegalArgumentException.class,
        () -> new TrainingSetup(true, 8, List.of(), List.of("rotary_emb"), 1, 1, true));
    assertTrue(saved.getMessage().contains("[embed_tokens, lm_head, q_proj"), saved.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> new TrainingSetup(false, 8, List.of("q_proj"), List.of("q_proj"), 1, 1, true));
    assertTrue(both.getMessage().contains("both a LoRA target and trained in full"), both.getMessage());
    Path tiny = SharedFixtures.resolve("qwen3-tiny/untied-f32");
    assertEquals(48, ModelShape.read(tiny).config().hiddenSize(), "a model directory is read through its config.json");
  }
}
