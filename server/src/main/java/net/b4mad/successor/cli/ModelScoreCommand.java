package net.b4mad.successor.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraAdapter;
import net.b4mad.successor.qwen3.Qwen3Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code successor model score}: log-probabilities of a token sequence, one forward pass. */
@Command(
    name = "score",
    description = {
      "Print {\"logprobs\": [...]} where element t is log p(token t+1 | tokens 0..t).",
      "Needs no tokenizer: give the token ids."
    })
public final class ModelScoreCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (Hugging Face layout).")
  Path model;

  @Option(names = "--adapter", paramLabel = "DIR", description = "A PEFT LoRA adapter directory to apply.")
  Path adapter;

  @Option(
      names = "--token-ids",
      required = true,
      split = ",",
      paramLabel = "ID",
      description = "Comma-separated token ids, at least two.")
  int[] tokenIds;

  @Override
  public Integer call() {
    try (Qwen3Model loaded = LoraAdapter.loadModel(model, adapter)) {
      double[] logprobs = loaded.score(tokenIds);
      System.out.println(Json.write(Map.of("logprobs", Arrays.stream(logprobs).boxed().toList())));
    }
    return 0;
  }
}
