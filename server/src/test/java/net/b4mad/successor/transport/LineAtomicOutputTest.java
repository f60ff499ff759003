package net.b4mad.successor.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineAtomicOutputTest {

  @Test
  void aReplyWrittenInTheMiddleOfAnotherMessageComesOutWhole() throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    StdioGuard.LineAtomicOutput out = new StdioGuard.LineAtomicOutput(sink);

    out.write("{\"id\":1,".getBytes(StandardCharsets.UTF_8));
    out.flush();
    out.writeLine("{\"id\":null,\"error\":{}}");
    out.write("\"result\":{}}\n{\"id\":2}".getBytes(StandardCharsets.UTF_8));
    out.write('\n');

    assertEquals(
        "{\"id\":null,\"error\":{}}\n{\"id\":1,\"result\":{}}\n{\"id\":2}\n",
        sink.toString(StandardCharsets.UTF_8));
  }
}
