package net.b4mad.successor.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * How one case went.
 *
 * @param kind the expectation's form: tool_calls, no_call, delegate or episode
 * @param jsonValid every {@code <tool_call>} block the model wrote parsed as JSON with a name and arguments
 * @param toolSelection the right function names (as many calls of each), or no call where none was wanted; for an
 *     episode, every call named an offered tool
 * @param arguments the full check of the arguments passed; for an episode, every call's arguments passed its
 *     tool's input schema
 * @param passed the expectation holds
 * @param error why it failed, for a human; null when it passed
 * @param expected the expectation, compact (an episode's without its starting beads)
 * @param output the model's raw text (single-turn cases)
 * @param transcript the turns of an episode, with the results of its calls
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseResult(
    String suite,
    String id,
    String category,
    String kind,
    boolean passed,
    boolean jsonValid,
    boolean toolSelection,
    boolean arguments,
    String error,
    JsonNode expected,
    String output,
    List<EpisodeSimulator.Turn> transcript) {}
