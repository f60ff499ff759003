package net.b4mad.successor.traces.importers;

import java.nio.file.Path;
import net.b4mad.successor.traces.SkippedInput;

/** Where one JSON record of a file is: a line of JSON lines, an element of a JSON array, or the whole file. */
public record RecordPosition(Path file, Kind kind, int number) {

  public enum Kind {
    LINE,
    ARRAY_INDEX,
    WHOLE_FILE
  }

  public static RecordPosition line(Path file, int line) {
    return new RecordPosition(file, Kind.LINE, line);
  }

  public static RecordPosition arrayIndex(Path file, int index) {
    return new RecordPosition(file, Kind.ARRAY_INDEX, index);
  }

  public static RecordPosition wholeFile(Path file) {
    return new RecordPosition(file, Kind.WHOLE_FILE, 0);
  }

  /** "line 7", "array index 3" or "the whole file". */
  public String describe() {
    return switch (kind) {
      case LINE -> "line " + number;
      case ARRAY_INDEX -> "array index " + number;
      case WHOLE_FILE -> "the whole file";
    };
  }

  /** A name for the conversation at this position when its source has no session id: file name and number. */
  public String sessionId() {
    String name = file.getFileName().toString();
    return kind == Kind.WHOLE_FILE ? name : name + "#" + number;
  }

  public SkippedInput skipped(String reason) {
    return new SkippedInput(file.toString(), number, describe() + ": " + reason);
  }
}
