package net.b4mad.successor.train;

import java.nio.file.Path;
import java.util.Map;

/** What a running training run tells its caller: a line per logged step, and each checkpoint it saved. */
@FunctionalInterface
public interface TrainingEvents {

  void progress(String line);

  /** @param metrics the last logged metrics line, empty before the first */
  default void checkpoint(int step, Path dir, Map<String, Object> metrics) {}
}
