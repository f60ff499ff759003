package net.b4mad.successor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** One run of {@code java -jar successor.jar ARGS} to completion: exit code, stdout bytes, stderr text. */
record JarRun(int exitCode, byte[] stdoutBytes, String stderr) {

  String stdout() {
    return new String(stdoutBytes, StandardCharsets.UTF_8);
  }

  static JarRun of(String... args) throws Exception {
    return within(120, args);
  }

  /** A run that must end within {@code seconds}, else it is killed and the test fails. */
  static JarRun within(long seconds, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServerProcess.JAVA, "-jar", ServerProcess.JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    // Read both streams on other threads: a full pipe cannot stall the child, and the timeout below can fire.
    // A thread each: the common pool may have one worker on a 2-core machine, and the reads block until exit.
    Executor ownThread = task -> {
      Thread thread = new Thread(task);
      thread.setDaemon(true);
      thread.start();
    };
    CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), ownThread);
    CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), ownThread);
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("successor " + String.join(" ", args) + " did not finish within " + seconds + " s");
    }
    return new JarRun(process.exitValue(), stdout.get(), new String(stderr.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A random tiny Qwen3 (seed 5, float32, the 8k-merge tokenizer fixture) written to {@code out}. */
  static void tinyModel(Path out) throws Exception {
    JarRun init = of("model", "init", "--out", out.toString(), "--seed", "5", "--tokenizer",
        fixtures("qwen3-tokenizer-8k").toString(), "--dtype", "f32");
    if (init.exitCode() != 0) {
      throw new AssertionError("model init failed: " + init.stderr());
    }
  }

  /** {@code shared/fixtures}: failsafe runs in server/, and the repository's parent holds shared/. */
  static Path fixtures(String relative) {
    return Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures").resolve(relative);
  }
}
