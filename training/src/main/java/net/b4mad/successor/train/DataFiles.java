package net.b4mad.successor.train;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training and evaluation files of a run: a dataset version directory gives its {@code train.jsonl} and, when
 * present and not empty, its {@code eval.jsonl}; a file is the training data, with evaluation data only when a
 * separate eval file is named.
 */
public record DataFiles(Path train, Path eval) {

  public static DataFiles resolve(String dataset, String evalDataset) {
    Path path = Path.of(dataset);
    Path train;
    Path eval = evalDataset == null ? null : Path.of(evalDataset);
    if (Files.isDirectory(path)) {
      train = path.resolve("train.jsonl");
      if (!Files.isRegularFile(train)) {
        throw new IllegalArgumentException(
            "dataset " + path + " is a directory without train.jsonl: give a dataset version directory or a JSONL file");
      }
      Path versionEval = path.resolve("eval.jsonl");
      if (eval == null && Files.isRegularFile(versionEval) && size(versionEval) > 0) {
        eval = versionEval;
      }
    } else if (Files.isRegularFile(path)) {
      train = path;
    } else {
      throw new IllegalArgumentException("dataset " + path + " does not exist");
    }
    if (eval != null && !Files.isRegularFile(eval)) {
      throw new IllegalArgumentException("eval dataset " + eval + " does not exist");
    }
    return new DataFiles(train, eval);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
