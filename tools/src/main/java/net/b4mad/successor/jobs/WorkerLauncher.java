package net.b4mad.successor.jobs;

/** Makes sure a worker is draining the queue; the server calls it after every enqueue and resume. */
@FunctionalInterface
public interface WorkerLauncher {

  void ensureRunning();
}
