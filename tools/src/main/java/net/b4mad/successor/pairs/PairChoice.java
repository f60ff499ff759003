package net.b4mad.successor.pairs;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.b4mad.successor.chat.ChatMessage;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.node.ObjectNode;

/**
 * The preference one prompt yields: the best passing answer over the worst failing one. Ties go to the lower
 * sample index, so a run's pairs depend only on its samples.
 */
public record PairChoice(Candidate chosen, Candidate rejected) {

  /**
   * @param gold the prompt's gold answer, judged, when it may stand in for a passing sample; else null
   * @return empty when every sample passed, or none did and no passing gold answer stands in
   */
  public static Optional<PairChoice> of(List<Candidate> samples, Candidate gold) {
    Optional<Candidate> worst = samples.stream().filter(c -> !c.result().passed())
        .min(Comparator.comparingDouble(Candidate::score).thenComparingInt(Candidate::index));
    if (worst.isEmpty()) {
      return Optional.empty();
    }
    // Every passing answer scores 1 (Candidate.score), so the best one is the passing sample with the lowest index.
    Optional<Candidate> best = samples.stream().filter(c -> c.result().passed())
        .min(Comparator.comparingInt(Candidate::index));
    if (best.isEmpty() && gold != null && gold.result().passed()) {
      best = Optional.of(gold);
    }
    return best.map(chosen -> new PairChoice(chosen, worst.get()));
  }

  /**
   * The JSONL line: TRL's conversational preference form that {@code train_dpo} reads ({@code prompt}, {@code
   * tools}, {@code chosen}, {@code rejected}), plus fields it ignores: {@code id}, {@code category}, the two
   * {@code scores} and where the chosen answer came from ({@code sample} or {@code gold}).
   */
  public String line(PairsSettings.Prompt prompt) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("id", prompt.id());
    line.put("category", prompt.evalCase().category());
    var messages = line.putArray("prompt");
    for (ChatMessage message : prompt.evalCase().messages()) {
      messages.add(message.toJson());
    }
    line.putArray("tools").addAll(prompt.evalCase().tools());
    line.set("chosen", chosen.answer().toJson());
    line.set("rejected", rejected.answer().toJson());
    line.putObject("scores").put("chosen", chosen.score()).put("rejected", rejected.score());
    line.put("chosen_from", chosen.gold() ? "gold" : "sample");
    return Json.MAPPER.writeValueAsString(line);
  }
}
