package net.b4mad.successor.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock a worker holds for its whole life: one accelerator, one training job at a time. The operating system
 * releases it when the process dies, however it dies, so "the lock is free" means "no worker is alive".
 */
public final class WorkerLock implements AutoCloseable {

  public static final String FILE = "worker.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private WorkerLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another worker holds it. */
  public static Optional<WorkerLock> tryAcquire(Path workspace) {
    FileChannel channel;
    try {
      channel = FileChannel.open(workspace.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + workspace.resolve(FILE) + ": " + e.getMessage(), e);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new WorkerLock(channel, lock));
      }
    } catch (OverlappingFileLockException e) {
      // held by a worker thread of this very process
    } catch (IOException e) {
      close(channel);
      throw new UncheckedIOException("cannot lock " + workspace.resolve(FILE) + ": " + e.getMessage(), e);
    }
    close(channel);
    return Optional.empty();
  }

  /** Whether a worker holds the lock now. */
  public static boolean held(Path workspace) {
    Optional<WorkerLock> lock = tryAcquire(workspace);
    lock.ifPresent(WorkerLock::close);
    return lock.isEmpty();
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it as well
    }
    close(channel);
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held on to
    }
  }
}
