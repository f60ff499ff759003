package net.b4mad.successor.beads;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Beads through the {@code bd} command line: one process per call, arguments as an array (never a shell line),
 * {@code --json} output parsed. Calls are serialised, because bd's embedded Dolt database takes one writer at a
 * time. Values go in {@code --flag=value} form so that a title or note starting with '-' stays a value.
 *
 * <p>bd's JSON differs by command and version: {@code show} prints an array in the code and an object in the
 * docs, {@code update}/{@code close} an array, {@code create} an object without labels, and {@code show} lists
 * dependencies as the other issues ({@code id} + {@code dependency_type}) where the JSONL has edges
 * ({@code depends_on_id} + {@code type}). Everything is brought to {@link Bead}'s shape here.
 */
public final class BeadsCli implements Beads {

  /** What bd accepts as an issue id; anything else (a leading '-' above all) could read as a flag. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private static final int MAX_ERROR_CHARS = 2000;

  private final Path executable;
  private final Path repoDir;
  private final Map<String, String> environment;
  private final Duration timeout;

  /**
   * @param environment variables set for bd on top of this process's own
   */
  public BeadsCli(Path executable, Path repoDir, Map<String, String> environment, Duration timeout) {
    this.executable = executable;
    this.repoDir = repoDir;
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
  }

  /** The first {@code bd} on the search path that is an executable file, or null. */
  static Path find(String path) {
    if (path == null) {
      return null;
    }
    for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
      for (String name : dir.isEmpty() ? List.<String>of() : List.of("bd", "bd.exe")) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  @Override
  public Bead create(NewBead bead) {
    List<String> args = new ArrayList<>(List.of("create", "--title=" + bead.title(), "--type=" + bead.type(),
        "--priority=" + bead.priority()));
    if (!bead.description().isEmpty()) {
      args.add("--description=" + bead.description());
    }
    if (!bead.labels().isEmpty()) {
      args.add("--labels=" + String.join(",", bead.labels()));
    }
    if (!bead.dependsOn().isEmpty()) {
      bead.dependsOn().forEach(BeadsCli::checkId);
      args.add("--deps=" + String.join(",", bead.dependsOn().stream().map(id -> Bead.BLOCKS + ":" + id).toList()));
    }
    if (bead.parent() != null) {
      args.add("--parent=" + checkId(bead.parent()));
    }
    String id = single(run(args), "bd create").path("id").asString("");
    if (id.isEmpty()) {
      throw new BeadsException("bd create printed no issue id; run bd create --json in " + repoDir + " to see why");
    }
    // create's JSON is the issue before its labels and edges were added; show has them all.
    return show(id);
  }

  @Override
  public Bead update(String id, BeadUpdate update) {
    if (update.isEmpty()) {
      return show(id);
    }
    List<String> args = new ArrayList<>(List.of("update", checkId(id)));
    if (update.status() != null) {
      args.add("--status=" + update.status());
    }
    if (update.appendNotes() != null) {
      args.add("--append-notes=" + update.appendNotes());
    }
    update.addLabels().forEach(label -> args.add("--add-label=" + label));
    update.removeLabels().forEach(label -> args.add("--remove-label=" + label));
    single(run(args), "bd update");
    return show(id);
  }

  @Override
  public Bead close(String id, String reason) {
    List<String> args = new ArrayList<>(List.of("close", checkId(id)));
    if (reason != null && !reason.isBlank()) {
      args.add("--reason=" + reason);
    }
    single(run(args), "bd close");
    return show(id);
  }

  @Override
  public Bead show(String id) {
    return bead(single(run(List.of("show", checkId(id))), "bd show " + id));
  }

  @Override
  public List<Bead> list(BeadFilter filter) {
    List<String> args = new ArrayList<>(List.of("list"));
    if (BeadFilter.ALL.equals(filter.status())) {
      args.add("--all");
    } else if (filter.status() != null) {
      args.add("--status=" + filter.status());
    }
    return beads(run(withFilter(args, filter)), "bd list");
  }

  @Override
  public List<Bead> ready(BeadFilter filter) {
    return beads(run(withFilter(new ArrayList<>(List.of("ready")), filter)), "bd ready");
  }

  @Override
  public void addDependency(String from, String to, String type) {
    run(List.of("dep", "add", checkId(from), checkId(to), "--type=" + Bead.dependencyType(type)));
  }

  @Override
  public String toString() {
    return "bd (" + executable + ") in " + repoDir;
  }

  private static List<String> withFilter(List<String> args, BeadFilter filter) {
    if (filter.label() != null) {
      args.add("--label=" + filter.label());
    }
    if (filter.type() != null) {
      args.add("--type=" + filter.type());
    }
    // bd's own defaults cut lists short (list 50, ready 10); 0 lifts the cut.
    args.add("--limit=" + filter.limit());
    return args;
  }

  private static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("'" + id + "' is not a bead id; ids look like bd-a3f8 or bd-a3f8.1");
    }
    return id;
  }

  /** Runs {@code bd ARGS --json} in the repository and parses what it printed. */
  private synchronized JsonNode run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    command.add("--json");
    String name = "bd " + args.get(0) + (args.size() > 1 && !args.get(1).startsWith("-") ? " " + args.get(1) : "");
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      // Files, not pipes: bd cannot stall on a full pipe, and the timeout holds while it runs.
      out = Files.createTempFile("successor-bd", ".out");
      err = Files.createTempFile("successor-bd", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(repoDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(environment);
      process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new BeadsException(name + " did not finish within "
            + String.format(Locale.ROOT, "%.1f", timeout.toMillis() / 1000.0) + " s in " + repoDir
            + "; another bd may hold the database");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new BeadsException(name + " failed (exit " + process.exitValue() + ") in " + repoDir + ": "
            + (stderr.isEmpty() ? stdout.strip() : cut(stderr)));
      }
      // bd reports some refusals (an unknown id to update, a blocked issue to close) on stderr and exits 0.
      if (stdout.isBlank()) {
        throw new BeadsException(
            name + " printed no JSON in " + repoDir + (stderr.isEmpty() ? "" : ": " + cut(stderr)));
      }
      return Json.MAPPER.readTree(stdout);
    } catch (JacksonException e) {
      throw new BeadsException(name + " printed something other than JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new BeadsException("cannot run " + executable + " in " + repoDir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BeadsException(name + " was interrupted", e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private static String cut(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private static void delete(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a stray temporary file is no reason to fail the call
    }
  }

  /** The one issue of an answer that is an object or an array of one. */
  private static JsonNode single(JsonNode answer, String name) {
    JsonNode issue = answer.isArray() ? answer.path(0) : answer;
    if (!issue.isObject()) {
      throw new BeadsException(name + " printed no issue: " + cut(answer.toString()));
    }
    return issue;
  }

  private static List<Bead> beads(JsonNode answer, String name) {
    if (!answer.isArray()) {
      throw new BeadsException(name + " printed " + answer.getNodeType() + " where a list of issues belongs");
    }
    List<Bead> beads = new ArrayList<>();
    answer.forEach(issue -> beads.add(bead(issue)));
    return beads;
  }

  /** An issue from bd's JSON as a {@link Bead}, its dependencies turned into edges. */
  private static Bead bead(JsonNode issue) {
    ObjectNode copy = ((ObjectNode) issue).deepCopy();
    JsonNode dependencies = copy.path("dependencies");
    if (dependencies.isArray()) {
      ArrayNode edges = copy.putArray("dependencies");
      String id = copy.path("id").asString("");
      for (JsonNode dependency : dependencies) {
        if (dependency.has("depends_on_id")) {
          edges.add(dependency);
        } else {
          edges.addObject()
              .put("issue_id", id)
              .put("depends_on_id", dependency.path("id").asString(""))
              .put("type", dependency.path("dependency_type").asString(Bead.BLOCKS));
        }
      }
    }
    try {
      return Json.MAPPER.treeToValue(copy, Bead.class);
    } catch (JacksonException e) {
      throw new BeadsException(
          "bd printed an issue Successor cannot read (" + e.getOriginalMessage() + "): " + cut(issue.toString()), e);
    }
  }
}
