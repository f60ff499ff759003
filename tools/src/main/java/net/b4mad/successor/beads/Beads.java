package net.b4mad.successor.beads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The issue tracker that records training runs and pipelines: beads. Two implementations speak the same issue
 * shape: {@link BeadsCli} drives the {@code bd} command, {@link EmbeddedBeads} keeps the issues in
 * {@code .beads/issues.jsonl} itself for machines without bd. {@link #open} chooses.
 */
public interface Beads {

  /** The environment variable that chooses the implementation: {@code auto}, {@code cli} or {@code embedded}. */
  String BACKEND_ENV = "SUCCESSOR_BEADS";

  List<String> BACKENDS = List.of("auto", "cli", "embedded");

  Duration CLI_TIMEOUT = Duration.ofMinutes(2);

  Bead create(NewBead bead);

  Bead update(String id, BeadUpdate update);

  /** Closes the bead; {@code reason} may be null for beads' default ("Closed"). */
  Bead close(String id, String reason);

  /** @throws BeadsException when there is no such bead */
  Bead show(String id);

  /** Beads that match, highest priority first. */
  List<Bead> list(BeadFilter filter);

  /**
   * Open beads with nothing open in their way, as {@code bd ready} finds them: no {@code blocks} edge to a bead
   * that is not closed, and no ancestor (through {@code parent-child}) that is blocked so.
   */
  List<Bead> ready(BeadFilter filter);

  /** {@code from} depends on {@code to}; {@code type} is one of {@link Bead#DEPENDENCY_TYPES}. */
  void addDependency(String from, String to, String type);

  /**
   * The implementation for {@code backend}: {@code cli} needs a {@code bd} executable on {@code path},
   * {@code embedded} never runs bd, {@code auto} (or null) takes bd when it is there.
   *
   * @param repoDir the directory whose {@code .beads/} holds the issues; bd runs in it
   * @param path the executable search path ({@code $PATH})
   */
  static Beads open(String backend, Path repoDir, String path) {
    String chosen = backend == null || backend.isBlank() ? "auto" : backend;
    if (!BACKENDS.contains(chosen)) {
      throw new IllegalArgumentException(
          "the beads backend must be one of " + BACKENDS + " (--beads or " + BACKEND_ENV + "), got '" + backend + "'");
    }
    Path bd = chosen.equals("embedded") ? null : BeadsCli.find(path);
    if (bd != null) {
      return new BeadsCli(bd, repoDir.toAbsolutePath(), Map.of(), CLI_TIMEOUT);
    }
    if (chosen.equals("cli")) {
      throw new IllegalArgumentException(
          "the beads backend is cli, but there is no bd executable on PATH; install beads (bd) or choose embedded");
    }
    return new EmbeddedBeads(repoDir);
  }
}
