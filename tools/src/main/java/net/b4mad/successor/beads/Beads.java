package net.b4mad.successor.beads;

import java.util.List;

/**
 * The issue tracker that records training runs and pipelines: beads. Two implementations speak the same issue
 * shape: the {@code bd} command, and {@link EmbeddedBeads}, which keeps the issues in
 * {@code .beads/issues.jsonl} itself for machines without bd.
 */
public interface Beads {

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
}
