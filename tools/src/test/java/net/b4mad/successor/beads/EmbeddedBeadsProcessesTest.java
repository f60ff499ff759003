package net.b4mad.successor.beads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server and the worker both write issues.jsonl; the lock keeps every bead either of them creates. */
class EmbeddedBeadsProcessesTest {

  private static final int BEADS = 40;

  @TempDir Path dir;

  @Test
  void twoProcessesCreateConcurrentlyWithoutLosingBeads() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process other =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString(), "worker")
            .inheritIO()
            .start();

    create(dir, "server");

    assertTrue(other.waitFor(60, TimeUnit.SECONDS), "the other process did not finish");
    assertEquals(0, other.exitValue(), "the other process failed to write");
    List<Bead> all = new EmbeddedBeads(dir).list(BeadFilter.everything());
    assertEquals(2 * BEADS, all.size());
    assertEquals(2 * BEADS, new HashSet<>(all.stream().map(Bead::id).toList()).size());
  }

  static void create(Path dir, String who) {
    EmbeddedBeads beads = new EmbeddedBeads(dir);
    for (int i = 0; i < BEADS; i++) {
      Bead bead = beads.create(new NewBead(who + " run " + i));
      beads.update(bead.id(), BeadUpdate.notes("step " + i));
    }
  }

  /** The second process. */
  public static final class Writer {
    public static void main(String[] args) {
      create(Path.of(args[0]), args[1]);
    }
  }
}
