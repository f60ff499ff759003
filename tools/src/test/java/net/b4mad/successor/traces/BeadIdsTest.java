package net.b4mad.successor.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;

class BeadIdsTest {

  @Test
  void hashShapedIdsAndBeadsOwnPrefix() {
    assertEquals(List.of("b4-1a2b", "successor-3kx", "bd-xyz", "bd-12"),
        BeadIds.in("Closing b4-1a2b and successor-3kx; see bd-xyz (and bd-12)."));
    assertEquals(List.of("bd-a3f8.1", "bd-a3f8"), BeadIds.in("child bd-a3f8.1 of bd-a3f8."));
  }

  @Test
  void aPrefixSeenWithAHashAlsoCountsForLetterOnlyHashes() {
    assertEquals(List.of("b4-abcd", "b4-9k2"), BeadIds.in("b4-abcd blocks b4-9k2"));
    assertEquals(List.of(), BeadIds.in("b4-abcd alone"));
  }

  @Test
  void ordinaryHyphenatedWordsAreNotIds() {
    assertEquals(
        List.of(),
        BeadIds.in(
            "a well-known follow-up: utf-8, sha-256, x86-64-linux, gpt-4o, covid-19, e-mail, qwen3-0.6b,"
                + " qwen3-32b, node-v18, ram-16gb, 550e8400-e29b-41d4-a716-446655440000, src/my-a1b2/x,"
                + " https://example.com/fix-a1b2c3, me-a1b2@example.com, my-file-a1b2, --dry-run"));
  }

  @Test
  void foundAnywhereInATrace() {
    Trace trace =
        new Trace(
            null,
            List.of(
                TraceMessage.user("work on bd-7f3e"),
                TraceMessage.assistant(
                    null, "also b4-zz9", List.of(new TraceToolCall("c", "bd_close", Json.MAPPER.readTree("{\"id\": \"b4-q1w2\"}"))))),
            List.of(),
            null);
    assertEquals(List.of("bd-7f3e", "b4-zz9", "b4-q1w2"), BeadIds.in(trace));
  }
}
