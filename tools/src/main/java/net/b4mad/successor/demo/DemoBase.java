package net.b4mad.successor.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import net.b4mad.successor.datasets.TokenCounter;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.lora.LoraMerge;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.Qwen3Layout;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.train.TrainingConfig;
import net.b4mad.successor.train.TrainingEvents;
import net.b4mad.successor.train.TrainingRun;

/**
 * The demo's base model: a tiny Qwen3 with the bundled 8k-merge tokenizer, pretrained from random weights by
 * {@link #make} in two full fine-tunes (every weight, {@link LoraConfig#EVERY_MODULE}) on {@code examples/warmup/}:
 * first "repeat after me" with the loss on every token, where the model learns to copy ids, dates and codes (tool
 * use alone did not teach it to copy within the steps tried), then
 * general chat and calls to generic and made-up tools, none of them B4mad's; merged and written in bfloat16.
 * A random base writes noise, and this takes longer than the whole demo may on two cores, so the jar carries the
 * base made once by it ({@code successor demo --make-base DIR}), as real bases arrive pretrained, and the demo
 * tunes that on B4mad's traces.
 */
public final class DemoBase {

  /** Where the jar keeps the base, beside the bundled tokenizer. */
  static final String RESOURCE = "demo/base";
  static final List<String> FILES = List.of("config.json", "generation_config.json", "model.safetensors");

  /**
   * The model's shape and its pretraining: {@code steps} optimizer steps of {@code batch} conversations. Weight
   * decay keeps the head from driving the logits of tokens the warm-up never asks for far below the rest, which
   * fine-tuning on new words would then have to undo.
   */
  public record Recipe(int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int copySteps,
      int copyBatch, int steps, int batch, double lr, double weightDecay, long seed) {

    /** The recipe of the bundled base. */
    public static final Recipe BUNDLED = new Recipe(128, 4, 4, 2, 32, 384, 2500, 16, 1000, 8, 3e-3, 0.1, 7);
  }

  private DemoBase() {}

  /** Writes the bundled base, with the bundled tokenizer, into {@code dir}; returns its parameter count. */
  public static long unpack(Path dir) throws IOException {
    for (String file : FILES) {
      Demo.unpack("/" + RESOURCE + "/" + file, dir.resolve(file));
    }
    Demo.unpack(TokenCounter.BUNDLED_RESOURCE, dir.resolve(TokenizerFiles.TOKENIZER_JSON));
    return Qwen3Layout.parameterCount(Qwen3Config.read(dir.resolve("config.json")));
  }

  /**
   * Makes a base by {@code recipe} in {@code out}: random weights, the copying phase, the tool-use phase, each
   * merged. The random model and the runs are kept beside it in {@code out}-work, for their metrics.
   */
  public static void make(Path out, Recipe recipe, TrainingEvents events) throws IOException {
    Path work = out.resolveSibling(out.getFileName() + "-work");
    Path tokenizer = work.resolve("tokenizer").resolve(TokenizerFiles.TOKENIZER_JSON);
    Demo.unpack(TokenCounter.BUNDLED_RESOURCE, tokenizer);
    TokenizerFiles tokenizerFiles = TokenizerFiles.find(tokenizer);
    Qwen3Config config = new Qwen3Config(tokenizerFiles.vocabSize(), recipe.hidden(), recipe.intermediate(),
        recipe.layers(), recipe.heads(), recipe.kvHeads(), recipe.headDim(), 1e-6, 1_000_000.0, true, 40960, "float32",
        tokenizerFiles.addedTokenId("<|endoftext|>"), List.of(tokenizerFiles.addedTokenId("<|im_end|>")));
    Path random = work.resolve("random");
    RandomQwen3.write(random, config, recipe.seed(), tokenizerFiles, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    Path data = work.resolve("warmup");
    int conversations = Demo.unpackFolder(Demo.WARMUP, data);
    events.progress(String.format(Locale.ROOT, "a random Qwen3 of %,d parameters; every weight trained: %d steps of"
        + " %d on copying, then %d steps of %d on chat and tool use (%d warm-up conversations in all)",
        Qwen3Layout.parameterCount(config), recipe.copySteps(), recipe.copyBatch(), recipe.steps(), recipe.batch(),
        conversations));
    Path copied = work.resolve("copied");
    phase(random, data.resolve("copying.jsonl"), recipe.copySteps(), recipe.copyBatch(), "all", recipe,
        work.resolve("copying-run"), copied, Dtype.F32, events);
    phase(copied, data.resolve("general.jsonl"), recipe.steps(), recipe.batch(), "assistant", recipe,
        work.resolve("run"), out, Dtype.BF16, events);
    // The jar carries the tokenizer once, for the demo and dataset_build alike.
    Files.deleteIfExists(out.resolve(TokenizerFiles.TOKENIZER_JSON));
  }

  private static void phase(Path model, Path data, int steps, int batch, String trainOn, Recipe recipe, Path run,
      Path out, Dtype dtype, TrainingEvents events) throws IOException {
    if (Files.exists(run)) {
      AtomicFiles.deleteRecursively(run);
    }
    TrainingConfig config = Demo.training(model, data, 16, steps, batch, recipe.lr(), recipe.weightDecay(),
        LoraConfig.EVERY_MODULE, trainOn, recipe.seed());
    TrainingRun.Result result = TrainingRun.start(config, run, () -> false, events);
    LoraMerge.merge(model, result.adapter(), out, dtype, true, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
  }
}
