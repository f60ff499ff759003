package net.b4mad.successor.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void writesAndReplacesContent() throws IOException {
    Path target = dir.resolve("sub/manifest.json");
    AtomicFiles.writeString(target, "v1");
    AtomicFiles.writeString(target, "v2");

    assertEquals("v2", Files.readString(target));
    assertEquals(List.of(target.getFileName()), listNames(target.getParent()));
  }

  @Test
  void failedWriteKeepsOldContentAndLeavesNoTemporaryFile() throws IOException {
    Path target = dir.resolve("config.json");
    AtomicFiles.writeString(target, "old");

    IOException failure =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }));

    assertEquals("disk full", failure.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of(target.getFileName()), listNames(dir));
  }

  /** A process killed with SIGKILL in the middle of a write must leave the previous content intact. */
  @Test
  void processKilledMidWriteLeavesPreviousContent() throws Exception {
    Path target = dir.resolve("metrics.jsonl");
    AtomicFiles.writeString(target, "previous\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process victim =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), SlowAtomicWriter.class.getName(), target.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
      assertEquals("writing", out.readLine(), "the child should report that it started writing");
      // Wait until bytes have reached the temporary file, so the kill lands mid-write.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (temporaryBytes() < 1024 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(temporaryBytes() >= 1024, "the child never wrote to its temporary file");
      victim.destroyForcibly();
      assertTrue(victim.waitFor(20, TimeUnit.SECONDS));
    }

    assertEquals("previous\n", Files.readString(target));
  }

  private long temporaryBytes() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(AtomicFiles.TEMP_SUFFIX))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }

  private static List<Path> listNames(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(Path::getFileName).toList();
    }
  }

  /** Child process: writes forever, slowly, through AtomicFiles until killed. */
  public static final class SlowAtomicWriter {
    public static void main(String[] args) throws Exception {
      System.out.println("writing");
      System.out.flush();
      AtomicFiles.write(
          Path.of(args[0]),
          out -> {
            byte[] line = "{\"step\": 1, \"loss\": 2.5}\n".getBytes(StandardCharsets.UTF_8);
            while (true) {
              for (int i = 0; i < 100; i++) {
                out.write(line);
              }
              out.flush();
              try {
                Thread.sleep(5);
              } catch (InterruptedException e) {
                return;
              }
            }
          });
    }
  }
}
