package net.b4mad.successor.transport;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits between the process's stdin/stdout and the SDK's stdio transport. Client lines pass through
 * {@link InboundMessageGuard}; good ones reach the SDK through a pipe, bad ones are answered here. Both the SDK
 * and this guard write to stdout, so output goes out whole lines at a time under one lock.
 */
public final class StdioGuard {

  private static final Logger LOG = LoggerFactory.getLogger(StdioGuard.class);
  private static final String SESSION = "stdio";
  private static final int PIPE_BUFFER = 1 << 20;

  private final InputStream clientIn;
  private final LineAtomicOutput clientOut;
  private final InboundMessageGuard guard;
  private final PipedInputStream serverIn;
  private final PipedOutputStream pipe;
  private final CountDownLatch endOfInput = new CountDownLatch(1);
  private volatile RuntimeException setUpFailure;

  public StdioGuard(InputStream clientIn, OutputStream clientOut, InboundMessageGuard guard) throws IOException {
    this.clientIn = clientIn;
    this.clientOut = new LineAtomicOutput(clientOut);
    this.guard = guard;
    this.serverIn = new PipedInputStream(PIPE_BUFFER);
    this.pipe = new PipedOutputStream(serverIn);
  }

  /** What the SDK transport reads: the client's messages that passed the guard. */
  public InputStream serverInput() {
    return serverIn;
  }

  /** What the SDK transport writes to: stdout, a whole line at a time. */
  public OutputStream serverOutput() {
    return clientOut;
  }

  /**
   * Starts passing the client's messages on. {@code setUp} runs once on the reader thread, before the second
   * message is passed on: a client sends that only after the reply to its first, {@code initialize}, so the
   * set-up never delays that reply, and no other request reaches the SDK before it. If it fails, the session ends.
   */
  public void start(Runnable setUp) {
    Thread reader = new Thread(() -> pump(setUp), "successor-stdin");
    reader.setDaemon(true);
    reader.start();
  }

  /** Blocks until the client closes stdin; rethrows a failure of the set-up, which ended the session. */
  public void awaitEndOfInput() throws InterruptedException {
    endOfInput.await();
    if (setUpFailure != null) {
      throw setUpFailure;
    }
  }

  private void pump(Runnable setUp) {
    long forwarded = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        InboundMessageGuard.Verdict verdict = guard.inspect(SESSION, line);
        if (verdict instanceof InboundMessageGuard.Forward forward) {
          if (++forwarded == 2) {
            try {
              setUp.run();
            } catch (RuntimeException e) {
              setUpFailure = e;
              return;
            }
          }
          pipe.write((forward.message() + "\n").getBytes(StandardCharsets.UTF_8));
          pipe.flush();
        } else if (verdict instanceof InboundMessageGuard.Reply reply) {
          LOG.warn("rejected a client message: {}", reply.message());
          clientOut.writeLine(reply.message());
        }
      }
    } catch (IOException e) {
      LOG.error("reading stdin failed: {}", e.getMessage());
    } finally {
      try {
        pipe.close();
      } catch (IOException e) {
        LOG.debug("closing the transport pipe: {}", e.getMessage());
      }
      endOfInput.countDown();
    }
  }

  /** Forwards only complete lines, so a reply of ours never lands inside a message of the SDK's. */
  static final class LineAtomicOutput extends OutputStream {

    private final OutputStream out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineAtomicOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
      partial.write(b);
      if (b == '\n') {
        partial.writeTo(out);
        partial.reset();
        out.flush();
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
      int start = offset;
      int end = offset + length;
      for (int i = offset; i < end; i++) {
        if (bytes[i] == '\n') {
          partial.write(bytes, start, i + 1 - start);
          partial.writeTo(out);
          partial.reset();
          start = i + 1;
        }
      }
      partial.write(bytes, start, end - start);
      out.flush();
    }

    synchronized void writeLine(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
    }
  }
}
