package net.b4mad.successor.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.b4mad.successor.files.AtomicFiles;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.lora.LoraConfig;
import net.b4mad.successor.lora.LoraMerge;
import net.b4mad.successor.safetensors.Dtype;
import net.b4mad.successor.safetensors.SafetensorsWriter;
import net.b4mad.successor.workspace.WorkspaceStore;

/**
 * Writes an adapter out for serving elsewhere: the PEFT folder as it is (vLLM, transformers + PEFT and llama.cpp's
 * LoRA converter take it beside the base), or merged into its base as a plain model in Hugging Face layout. Either
 * way with a {@code README.md} model card that says where the model came from, and written as a unit: a reader
 * sees the old export or the new one, never half of one. Exports are recorded in the workspace's {@code models}
 * table.
 */
public final class ModelExport {

  /** Export names become folder names. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** vLLM accepts these values of --max-lora-rank and defaults to 16. */
  private static final int[] VLLM_LORA_RANKS = {8, 16, 32, 64, 128, 256, 320, 512};

  /**
   * @param dtype the merged weights' dtype; null for an adapter folder (its weights stay float32)
   * @param serve command lines that serve it: {@code vllm}, {@code transformers}, {@code llama_cpp}
   */
  public record Exported(String name, String path, boolean merged, String baseModel, String adapter, String dtype,
      List<String> files, long bytes, Map<String, String> serve) {}

  /** A row of the {@code models} table; {@code exists} says whether its folder is still there. */
  public record Listed(String name, String path, String baseModel, String runId, String createdAt, boolean exists) {}

  private ModelExport() {}

  /**
   * Writes the export of {@code model} (which must have an adapter) to {@code target}, replacing what is there.
   *
   * @param lineage the adapter's lineage when it was trained here, for the model card; else null
   * @param production whether it is the production model now
   * @param dtype for a merged export: F32 or BF16, or null for the base's own dtype
   */
  public static Exported write(ModelRef model, AdapterLineage lineage, boolean production, Path target, String name,
      boolean merged, Dtype dtype) {
    Path adapter = Path.of(model.adapter());
    int rank = LoraConfig.read(adapter).r();
    Map<String, String> serve = serveCommands(name, target, model, merged, dtype, rank);
    String[] written = new String[1];
    try {
      AtomicFiles.writeDirectory(target, dir -> {
        if (merged) {
          written[0] = LoraMerge.merge(Path.of(model.model()), adapter, dir, dtype, false,
              SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES).dtype();
        } else {
          for (Path file : files(adapter)) {
            AtomicFiles.write(dir.resolve(file.getFileName().toString()), out -> Files.copy(file, out));
          }
        }
        AtomicFiles.writeString(dir.resolve("README.md"),
            modelCard(name, model, lineage, production, merged, written[0], rank, serve));
      });
      List<String> names = new ArrayList<>();
      long bytes = 0;
      for (Path file : files(target)) {
        names.add(file.getFileName().toString());
        bytes += Files.size(file);
      }
      return new Exported(name, target.toString(), merged, model.model(), model.adapter(), written[0], names, bytes,
          serve);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the export to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Records the export in the {@code models} table (workspace_info counts it). */
  public static void register(WorkspaceStore store, Exported exported, String runId) {
    store.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT OR REPLACE INTO models (name, path, base_model, run_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, exported.name());
        insert.setString(2, exported.path());
        insert.setString(3, exported.baseModel());
        insert.setString(4, runId);
        insert.setString(5, Instant.now().toString());
        insert.executeUpdate();
      }
      return null;
    });
  }

  /** Newest first. */
  public static List<Listed> list(WorkspaceStore store) {
    return store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT name, path, base_model, run_id, created_at FROM models ORDER BY created_at DESC");
          ResultSet rows = select.executeQuery()) {
        List<Listed> listed = new ArrayList<>();
        while (rows.next()) {
          listed.add(new Listed(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
              rows.getString(5), Files.isDirectory(Path.of(rows.getString(2)))));
        }
        return listed;
      }
    });
  }

  static Map<String, String> serveCommands(String name, Path path, ModelRef model, boolean merged, Dtype dtype,
      int rank) {
    String dir = shell(path.toString());
    String base = shell(model.model());
    Map<String, String> commands = new LinkedHashMap<>();
    if (merged) {
      commands.put("vllm", "vllm serve " + dir + " --served-model-name " + name);
      commands.put("transformers", "python -c \"from transformers import AutoModelForCausalLM, AutoTokenizer;"
          + " tokenizer = AutoTokenizer.from_pretrained('" + path + "');"
          + " model = AutoModelForCausalLM.from_pretrained('" + path + "', torch_dtype='auto')\"");
      String outType = dtype == null ? "auto" : dtype.name().toLowerCase(Locale.ROOT);
      commands.put("llama_cpp", "python convert_hf_to_gguf.py " + dir + " --outfile " + name + ".gguf --outtype "
          + outType + " && llama-server -m " + name + ".gguf --jinja");
      return commands;
    }
    commands.put("vllm", "vllm serve " + base + " --enable-lora --lora-modules " + name + "=" + dir
        + (rank > 16 ? " --max-lora-rank " + vllmRank(rank) : "")
        + "   # then ask for model \"" + name + "\"");
    commands.put("transformers", "python -c \"from transformers import AutoModelForCausalLM, AutoTokenizer;"
        + " from peft import PeftModel; tokenizer = AutoTokenizer.from_pretrained('" + model.model() + "');"
        + " model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained('" + model.model()
        + "', torch_dtype='auto'), '" + path + "')\"");
    commands.put("llama_cpp", "python convert_hf_to_gguf.py " + base + " --outfile base.gguf && python"
        + " convert_lora_to_gguf.py " + dir + " --base " + base + " --outfile " + name + ".gguf && llama-server -m"
        + " base.gguf --lora " + name + ".gguf --jinja");
    return commands;
  }

  private static int vllmRank(int rank) {
    for (int allowed : VLLM_LORA_RANKS) {
      if (allowed >= rank) {
        return allowed;
      }
    }
    return rank;
  }

  /** Single-quoted for a POSIX shell when it holds anything but plain path characters. */
  private static String shell(String word) {
    return word.matches("[A-Za-z0-9_./=@:+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  static String modelCard(String name, ModelRef model, AdapterLineage lineage, boolean production, boolean merged,
      String dtype, int rank, Map<String, String> serve) {
    StringBuilder card = new StringBuilder("---\n");
    card.append("base_model: ").append(Json.write(model.model())).append('\n');
    card.append("library_name: ").append(merged ? "transformers" : "peft").append('\n');
    card.append("tags:\n- successor\n- lora\n- qwen3\n");
    if (lineage != null) {
      card.append("- ").append(lineage.kind()).append('\n');
    }
    card.append("---\n\n# ").append(name).append("\n\n");
    card.append(merged
        ? "The LoRA adapter (rank " + rank + ") merged into its base model, in " + dtype
            + ": a plain model in Hugging Face layout that loads without PEFT."
        : "A LoRA adapter (rank " + rank + ", PEFT format) for the base model below.")
        .append(" Trained and exported by Successor.\n\n");
    card.append("- Base model: `").append(model.model()).append("`\n");
    card.append("- Adapter: `").append(model.adapter()).append("`\n");
    if (lineage != null) {
      card.append("- Dataset: ").append(lineage.datasetVersion() == null ? "" : "`" + lineage.datasetVersion() + "` ")
          .append("(`").append(lineage.dataset()).append("`)\n");
      card.append("- Training run: `").append(lineage.runId()).append("` (").append(lineage.kind())
          .append(lineage.steps() == null ? "" : ", " + lineage.steps() + " steps");
      for (String metric : List.of("loss", "eval_loss")) {
        if (lineage.metrics().get(metric) instanceof Number value) {
          card.append(String.format(Locale.ROOT, ", %s %.4g", metric.replace('_', ' '), value.doubleValue()));
        }
      }
      card.append(")\n");
      if (lineage.beadId() != null) {
        card.append("- Bead: `").append(lineage.beadId()).append("`\n");
      }
      if (lineage.continuedFrom() != null) {
        card.append("- Continued from: `").append(lineage.continuedFrom()).append('`')
            .append(lineage.continuedFromRun() == null ? "" : " (run `" + lineage.continuedFromRun() + "`)")
            .append('\n');
      }
    }
    card.append("- Production: ").append(production ? "yes" : "no").append("\n\n## Evals\n\n");
    List<EvalSummary> evals = lineage == null ? List.of() : lineage.evals();
    if (evals.isEmpty()) {
      card.append("None yet.\n");
    } else {
      card.append("| Eval | Suites | Cases | Pass rate | State |\n|---|---|---|---|---|\n");
      for (EvalSummary eval : evals) {
        card.append("| `").append(eval.evalId()).append("` | ")
            .append(String.join(", ", eval.suites().stream().map(s -> Path.of(s).getFileName().toString()).toList()))
            .append(eval.limit() == null ? "" : " (first " + eval.limit() + " each)").append(" | ")
            .append(eval.cases() == null ? "" : eval.cases()).append(" | ")
            .append(eval.passRate() == null ? "" : String.format(Locale.ROOT, "%.3f", eval.passRate())).append(" | ")
            .append(eval.state()).append(" |\n");
      }
    }
    card.append("\n## Serving\n\n");
    serve.forEach((tool, command) -> card.append("- ").append(tool).append(": `").append(command).append("`\n"));
    return card.toString();
  }

  /** The plain files of a folder, sorted; temporary files of interrupted writes are left out. */
  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
  }
}
