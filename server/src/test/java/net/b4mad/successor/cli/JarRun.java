package net.b4mad.successor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of {@code java -jar successor.jar ARGS} to completion: exit code, stdout bytes, stderr text. */
record JarRun(int exitCode, byte[] stdoutBytes, String stderr) {

  String stdout() {
    return new String(stdoutBytes, StandardCharsets.UTF_8);
  }

  static JarRun of(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ServerProcess.JAVA, "-jar", ServerProcess.JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    // Read stderr on another thread so a full pipe cannot stall the child.
    CompletableFuture<byte[]> stderr =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return process.getErrorStream().readAllBytes();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    byte[] stdout = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("successor " + String.join(" ", args) + " did not finish within 120 s");
    }
    return new JarRun(process.exitValue(), stdout, new String(stderr.get(), StandardCharsets.UTF_8));
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
