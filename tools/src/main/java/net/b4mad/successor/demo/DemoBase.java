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
 * {@link #make}: a full fine-tune (every weight, {@link LoraConfig#EVERY_MODULE}) on the warm-up conversations of
 * {@code examples/warmup/} (general chat, and calls to generic and made-up tools, none of them B4mad's), merged and
 * written in bfloat16. A random base writes noise, and learning to read the tools it is shown and copy values from
 * a request into a call takes this recipe about twelve minutes on two cores, more than the whole demo may; so the
 * jar carries the base made once by it ({@code successor demo --make-base DIR}), as real bases arrive pretrained,
 * and the demo tunes that on B4mad's traces.
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
  public record Recipe(int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int steps,
      int batch, double lr, double weightDecay, long seed) {

    /** The recipe of the bundled base. */
    public static final Recipe BUNDLED = new Recipe(128, 4, 4, 2, 32, 384, 1500, 8, 3e-3, 0.1, 7);
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
   * Makes a base by {@code recipe} in {@code out}: random weights, the full fine-tune on the warm-up set, the merge.
   * The random model and the run are kept beside it in {@code out}-work, for their metrics.
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
    int conversations = Demo.unpackFolder(Demo.WARMUP, work.resolve("warmup"));
    events.progress(String.format(Locale.ROOT, "a random Qwen3 of %,d parameters; %d steps of %d of the %d warm-up"
        + " conversations, every weight trained", Qwen3Layout.parameterCount(config), recipe.steps(), recipe.batch(),
        conversations));
    Path run = work.resolve("run");
    if (Files.exists(run)) {
      AtomicFiles.deleteRecursively(run);
    }
    TrainingConfig warmup = Demo.training(random, work.resolve("warmup").resolve("general.jsonl"), 16, recipe.steps(),
        recipe.batch(), recipe.lr(), recipe.weightDecay(), LoraConfig.EVERY_MODULE, recipe.seed());
    TrainingRun.Result result = TrainingRun.start(warmup, run, () -> false, events);
    LoraMerge.merge(random, result.adapter(), out, Dtype.BF16, true, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    // The jar carries the tokenizer once, for the demo and dataset_build alike.
    Files.deleteIfExists(out.resolve(TokenizerFiles.TOKENIZER_JSON));
  }
}
