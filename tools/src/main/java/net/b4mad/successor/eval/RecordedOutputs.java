package net.b4mad.successor.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.JsonLines;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Model outputs written down elsewhere, as BFCL's result files hold them: JSON lines of
 * {@code {"id": ..., "result": "<raw model text>"}}; for an episode, {@code result} may be the array of its
 * turns' texts.
 */
public final class RecordedOutputs {

  private final Path file;
  private final Map<String, List<String>> outputs;

  private RecordedOutputs(Path file, Map<String, List<String>> outputs) {
    this.file = file;
    this.outputs = outputs;
  }

  /** @throws IllegalArgumentException as {@code file:line: what is wrong} */
  public static RecordedOutputs read(Path file) {
    Map<String, List<String>> outputs = new LinkedHashMap<>();
    JsonLines.read(file, (record, location) -> {
      JsonNode id = record.get("id");
      JsonNode result = record.get("result");
      List<String> turns = new ArrayList<>();
      if (result != null && result.isArray()) {
        result.forEach(turn -> turns.add(turn.isString() ? turn.stringValue() : null));
      } else if (result != null && result.isString()) {
        turns.add(result.stringValue());
      }
      if (id == null || !id.isString() || turns.isEmpty() || turns.contains(null)) {
        throw new IllegalArgumentException(
            "an output is {\"id\": \"...\", \"result\": \"<raw model text>\"} (or an array of texts, one per turn)");
      }
      if (outputs.put(id.stringValue(), turns) != null) {
        throw new IllegalArgumentException("a second output for " + id.stringValue());
      }
      return turns;
    });
    return new RecordedOutputs(file, outputs);
  }

  public Set<String> ids() {
    return outputs.keySet();
  }

  public boolean has(String id) {
    return outputs.containsKey(id);
  }

  /** Replays the output of EVAL_CASE turn by turn; past its last turn it answers with no call. */
  public Responder responder(EvalCase evalCase) {
    List<String> turns = outputs.get(evalCase.id());
    if (turns == null) {
      throw new IllegalArgumentException("no output for " + evalCase.id() + " in " + file);
    }
    return conversation -> {
      int turn = evalCase.turnOf(conversation);
      return turn < turns.size() ? turns.get(turn) : "";
    };
  }
}
