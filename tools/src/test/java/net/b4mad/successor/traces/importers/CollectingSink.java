package net.b4mad.successor.traces.importers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.b4mad.successor.traces.SkippedInput;
import net.b4mad.successor.traces.Trace;

/** What an importer read from one file, for assertions. */
final class CollectingSink implements TraceSink {

  final List<Trace> traces = new ArrayList<>();
  final List<SkippedInput> skipped = new ArrayList<>();

  static CollectingSink read(TraceImporter importer, Path file) throws IOException {
    CollectingSink sink = new CollectingSink();
    importer.read(file, sink);
    return sink;
  }

  @Override
  public void accept(Trace trace) {
    traces.add(trace);
  }

  @Override
  public void skip(SkippedInput input) {
    skipped.add(input);
  }
}
