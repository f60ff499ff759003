package net.b4mad.successor.traces.importers;

import net.b4mad.successor.traces.SkippedInput;
import net.b4mad.successor.traces.Trace;

/** Where an importer puts what it read: conversations, and reports of the input it had to skip. */
public interface TraceSink {

  void accept(Trace trace);

  void skip(SkippedInput skipped);
}
