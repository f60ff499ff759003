package net.b4mad.successor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.qwen3.Qwen3Config;
import net.b4mad.successor.qwen3.RandomQwen3;
import net.b4mad.successor.qwen3.TokenizerFiles;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code successor model}: model directories in Hugging Face layout. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    versionProvider = Successor.VersionProvider.class,
    description = "Create, score and merge model directories in Hugging Face layout.",
    subcommands = {ModelCommand.Init.class, ModelScoreCommand.class, ModelMergeCommand.class})
public final class ModelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code successor model init}: a random Qwen3, tiny by default, for tests and the demo. */
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      versionProvider = Successor.VersionProvider.class,
      description = {
        "Write a randomly initialised Qwen3 model (config.json, generation_config.json, safetensors weights and,"
            + " with --tokenizer, the tokenizer files) to --out, and print a JSON summary.",
        "Weights are drawn from N(0, 0.02), norms set to 1, as transformers initialises; the same seed gives the"
            + " same bytes."
      })
  static final class Init implements Callable<Integer> {

    private static final int DEFAULT_VOCAB = 1024;

    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model directory to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hidden", defaultValue = "64", description = "hidden_size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "2", description = "num_hidden_layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "num_attention_heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "2", description = "num_key_value_heads (default: ${DEFAULT-VALUE}).")
    int kvHeads;

    @Option(names = "--head-dim", defaultValue = "32", description = "head_dim (default: ${DEFAULT-VALUE}).")
    int headDim;

    @Option(names = "--intermediate", defaultValue = "128", description = "intermediate_size (default: ${DEFAULT-VALUE}).")
    int intermediate;

    @Option(
        names = "--vocab",
        description = "vocab_size (default: one past the tokenizer's highest token id, else " + DEFAULT_VOCAB + ").")
    Integer vocab;

    @Option(
        names = "--tie",
        arity = "1",
        defaultValue = "true",
        paramLabel = "true|false",
        description = "Tie the LM head to the embedding, as Qwen3-0.6B does (default: ${DEFAULT-VALUE}).")
    boolean tie;

    @Option(
        names = "--dtype",
        defaultValue = "bf16",
        paramLabel = "bf16|f32",
        description = "Weight dtype (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(
        names = "--tokenizer",
        paramLabel = "PATH",
        description = "A tokenizer.json, or a directory holding one (and perhaps tokenizer_config.json), to copy.")
    Path tokenizer;

    @Option(
        names = "--max-shard-bytes",
        defaultValue = "" + SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES,
        paramLabel = "BYTES",
        description = "Split the weights into shards above this size (default: ${DEFAULT-VALUE}, as transformers).")
    long maxShardBytes;

    @Option(names = "--force", description = "Write into a non-empty --out directory, replacing the files it writes.")
    boolean force;

    @Override
    public Integer call() throws IOException {
      for (int size : new int[] {hidden, layers, heads, kvHeads, headDim, intermediate, vocab == null ? 1 : vocab}) {
        if (size < 1) {
          throw new ParameterException(spec.commandLine(), "model sizes must be positive, got " + size);
        }
      }
      refuseNonEmpty(out);
      TokenizerFiles tokenizerFiles = tokenizer == null ? null : TokenizerFiles.find(tokenizer);
      int vocabSize = vocab != null ? vocab : tokenizerFiles != null ? tokenizerFiles.vocabSize() : DEFAULT_VOCAB;
      // Qwen3's conventions: <|endoftext|> begins, <|im_end|> ends a chat turn; without a tokenizer, no ids
      Integer bos = tokenizerFiles == null ? null : tokenizerFiles.addedTokenId("<|endoftext|>");
      Integer eos = tokenizerFiles == null ? null : tokenizerFiles.addedTokenId("<|im_end|>");
      Qwen3Config config = new Qwen3Config(vocabSize, hidden, intermediate, layers, heads, kvHeads, headDim, 1e-6,
          1_000_000.0, tie, 40960, torchDtype(dtype), bos, eos == null ? List.of() : List.of(eos));
      Path directory = out.toAbsolutePath().normalize();
      RandomQwen3.Written written = RandomQwen3.write(directory, config, seed, tokenizerFiles, maxShardBytes);
      System.out.println(Json.writePretty(written));
      return 0;
    }

    private void refuseNonEmpty(Path directory) throws IOException {
      if (!Files.exists(directory)) {
        return;
      }
      if (!Files.isDirectory(directory)) {
        throw new IllegalArgumentException("--out " + directory + " is a file, not a directory");
      }
      try (Stream<Path> entries = Files.list(directory)) {
        if (entries.findAny().isPresent() && !force) {
          throw new IllegalArgumentException("--out " + directory + " is not empty; pass --force to write into it");
        }
      }
    }

    private String torchDtype(String name) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "bf16":
        case "bfloat16":
          return "bfloat16";
        case "f32":
        case "float32":
          return "float32";
        default:
          throw new ParameterException(spec.commandLine(), "--dtype must be bf16 or f32, got '" + name + "'");
      }
    }
  }
}
