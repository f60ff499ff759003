package net.b4mad.successor.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.b4mad.successor.beads.Bead;
import net.b4mad.successor.chat.ToolCall;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a case expects of the model: one of the four forms of the suite format (examples/eval/README.md). The
 * single-turn forms judge the calls of one assistant turn; an episode runs turns against a simulated beads store
 * ({@link EpisodeSimulator}).
 */
public sealed interface Expectation permits Expectation.Turn, Expectation.Episode {

  /** The tool a delegation calls, and the agents it may name. */
  String DELEGATE_TOOL = "delegate_task";

  List<String> AGENTS = List.of("brenner", "romanov", "pltops", "lotti");

  /** {@code tool_calls}, {@code no_call}, {@code delegate} or {@code episode}. */
  String kind();

  /** The expectation as a report shows it: compact (an episode without its starting beads). */
  JsonNode summary();

  /** How one assistant turn fared; {@code error} says what is wrong, null when it passed. */
  record Verdict(boolean toolSelection, boolean arguments, boolean passed, String error) {}

  /** An expectation about one assistant turn. */
  sealed interface Turn extends Expectation permits ToolCalls, NoCall, Delegate {

    /** Judges the calls of a turn; {@code tools} are the case's tool definitions, for the argument schemas. */
    Verdict judge(List<ToolCall> calls, List<JsonNode> tools);
  }

  /**
   * One call that must be made.
   *
   * @param arguments each argument mapped to the array of its acceptable values ({@code ""} or null: may be
   *     left out)
   */
  record ExpectedCall(String name, ObjectNode arguments) {}

  record ToolCalls(List<ExpectedCall> calls) implements Turn {

    public ToolCalls {
      calls = List.copyOf(calls);
    }

    @Override
    public String kind() {
      return "tool_calls";
    }

    @Override
    public JsonNode summary() {
      return Json.MAPPER.valueToTree(calls);
    }

    @Override
    public Verdict judge(List<ToolCall> made, List<JsonNode> tools) {
      ToolCallChecker.Result result = ToolCallChecker.check(made, calls, tools);
      return new Verdict(result.toolSelection(), result.passed(), result.passed(), result.error());
    }
  }

  record NoCall() implements Turn {

    @Override
    public String kind() {
      return "no_call";
    }

    @Override
    public JsonNode summary() {
      return Json.MAPPER.createObjectNode().put("no_call", true);
    }

    @Override
    public Verdict judge(List<ToolCall> made, List<JsonNode> tools) {
      boolean passed = made.isEmpty();
      return new Verdict(passed, passed, passed,
          passed ? null : "expected no tool call, got calls to " + made.stream().map(ToolCall::name).toList());
    }
  }

  /** {@code agent} is who must get the work (lower case), or null when nobody may. */
  record Delegate(String agent) implements Turn {

    @Override
    public String kind() {
      return "delegate";
    }

    @Override
    public JsonNode summary() {
      return Json.MAPPER.createObjectNode().put("delegate", agent);
    }

    @Override
    public Verdict judge(List<ToolCall> made, List<JsonNode> tools) {
      List<ToolCall> delegations = made.stream().filter(c -> c.name().equals(DELEGATE_TOOL)).toList();
      List<String> named = new ArrayList<>();
      for (ToolCall call : delegations) {
        JsonNode given;
        try {
          given = ToolCallChecker.arguments(call).get("agent");
        } catch (IllegalArgumentException e) {
          given = null;
        }
        named.add(given != null && given.isString() ? given.stringValue() : ToolCallChecker.show(given));
      }
      if (agent == null) {
        boolean passed = delegations.isEmpty();
        return new Verdict(passed, passed, passed,
            passed ? null : "expected no delegation, got " + DELEGATE_TOOL + " to " + named);
      }
      if (delegations.size() != 1) {
        return new Verdict(false, false, false, "expected one " + DELEGATE_TOOL + " call to " + agent + ", got "
            + (delegations.isEmpty() ? "none" : delegations.size() + " (to " + named + ")"));
      }
      boolean passed = named.get(0).toLowerCase(Locale.ROOT).equals(agent);
      return new Verdict(true, passed, passed,
          passed ? null : DELEGATE_TOOL + ": argument 'agent' is " + named.get(0) + ", expected " + agent);
    }
  }

  /**
   * A multi-turn task against a beads store: the beads it starts with, how many assistant turns it may take,
   * and what must hold at the end.
   */
  record Episode(List<Bead> beads, int maxTurns, List<BeadPredicate> finalState) implements Expectation {

    public static final int DEFAULT_MAX_TURNS = 8;

    public Episode {
      beads = List.copyOf(beads);
      finalState = List.copyOf(finalState);
    }

    @Override
    public String kind() {
      return "episode";
    }

    @Override
    public JsonNode summary() {
      ObjectNode summary = Json.MAPPER.createObjectNode();
      summary.put("max_turns", maxTurns);
      summary.set("final", Json.MAPPER.valueToTree(finalState));
      return summary;
    }
  }

  /** Reads a case's {@code expect} object; {@code tools} are the names of the tools the case offers. */
  static Expectation parse(JsonNode expect, Set<String> tools) {
    if (expect == null || !expect.isObject() || expect.size() != 1) {
      throw new IllegalArgumentException(
          "'expect' must be an object with one of tool_calls, no_call, delegate or episode, got "
              + ToolCallChecker.show(expect));
    }
    var form = expect.properties().iterator().next();
    JsonNode value = form.getValue();
    switch (form.getKey()) {
      case "tool_calls":
        return new ToolCalls(expectedCalls(value, tools));
      case "no_call":
        if (!value.isBoolean() || !value.booleanValue()) {
          throw new IllegalArgumentException("expect.no_call must be true, got " + ToolCallChecker.show(value));
        }
        return new NoCall();
      case "delegate":
        if (!tools.contains(DELEGATE_TOOL)) {
          throw new IllegalArgumentException(
              "expect.delegate needs the case to offer the tool " + DELEGATE_TOOL + "; add it to 'tools'");
        }
        if (value.isNull()) {
          return new Delegate(null);
        }
        String agent = value.isString() ? value.stringValue().toLowerCase(Locale.ROOT) : null;
        if (!AGENTS.contains(agent)) {
          throw new IllegalArgumentException(
              "expect.delegate must be one of " + AGENTS + " or null, got " + ToolCallChecker.show(value));
        }
        return new Delegate(agent);
      case "episode":
        return episode(value, tools);
      default:
        throw new IllegalArgumentException(
            "unknown expectation '" + form.getKey() + "': expected tool_calls, no_call, delegate or episode");
    }
  }

  private static List<ExpectedCall> expectedCalls(JsonNode value, Set<String> tools) {
    if (!value.isArray() || value.isEmpty()) {
      throw new IllegalArgumentException(
          "expect.tool_calls must be a non-empty array of {\"name\", \"arguments\"}; for no call use"
              + " {\"no_call\": true}");
    }
    List<ExpectedCall> calls = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String at = "expect.tool_calls[" + i + "]";
      JsonNode call = value.get(i);
      JsonNode name = call.get("name");
      JsonNode arguments = call.get("arguments");
      if (!call.isObject() || name == null || !name.isString() || arguments == null || !arguments.isObject()) {
        throw new IllegalArgumentException(
            at + " must be {\"name\": ..., \"arguments\": {...}}, got " + ToolCallChecker.show(call));
      }
      if (!tools.contains(name.stringValue())) {
        throw new IllegalArgumentException(
            at + ": the case offers no tool '" + name.stringValue() + "' (its tools: " + tools + ")");
      }
      for (var argument : arguments.properties()) {
        JsonNode acceptable = argument.getValue();
        if (!acceptable.isArray() || acceptable.isEmpty()) {
          throw new IllegalArgumentException(at + ".arguments." + argument.getKey()
              + " must be a non-empty list of acceptable values, e.g. [\"in_progress\"] (\"\" or null: may be"
              + " left out), got " + ToolCallChecker.show(acceptable));
        }
      }
      calls.add(new ExpectedCall(name.stringValue(), (ObjectNode) arguments));
    }
    return calls;
  }

  private static Episode episode(JsonNode value, Set<String> tools) {
    if (!value.isObject()) {
      throw new IllegalArgumentException("expect.episode must be an object, got " + ToolCallChecker.show(value));
    }
    Set<String> known = Set.of("beads", "max_turns", "final");
    for (var field : value.properties()) {
      if (!known.contains(field.getKey())) {
        throw new IllegalArgumentException(
            "expect.episode: unknown field '" + field.getKey() + "'; an episode has " + known);
      }
    }
    Set<String> beadTools = new HashSet<>(tools);
    beadTools.removeAll(EpisodeSimulator.TOOLS);
    if (!beadTools.isEmpty()) {
      throw new IllegalArgumentException("an episode can run only the bead tools " + EpisodeSimulator.TOOLS
          + ", but the case offers " + beadTools);
    }
    List<Bead> beads = EpisodeSimulator.seedBeads(value.get("beads"));
    JsonNode maxTurns = value.get("max_turns");
    int turns = Episode.DEFAULT_MAX_TURNS;
    if (maxTurns != null) {
      if (!maxTurns.isIntegralNumber() || maxTurns.intValue() < 1) {
        throw new IllegalArgumentException(
            "expect.episode.max_turns must be a whole number of at least 1, got " + ToolCallChecker.show(maxTurns));
      }
      turns = maxTurns.intValue();
    }
    JsonNode checks = value.get("final");
    if (checks == null || !checks.isArray() || checks.isEmpty()) {
      throw new IllegalArgumentException(
          "expect.episode.final must be a non-empty array of predicates over the beads at the end");
    }
    List<BeadPredicate> predicates = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      try {
        predicates.add(BeadPredicate.parse(checks.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("expect.episode.final[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new Episode(beads, turns, predicates);
  }
}
