package net.b4mad.successor.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.b4mad.successor.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checker against BFCL's own fixtures: outputs made from the ground truth (the first acceptable value of
 * each argument, optional ones left out in every other case) must all be valid, and each perturbation of them,
 * generated for every case it applies to, must be invalid for the reason it introduced.
 */
class BfclAgreementTest {

  static final Path BFCL = Path.of("").toAbsolutePath().getParent().getParent().resolve("shared/fixtures/bfcl");

  static EvalSuite suite(String name) {
    Path answers = BFCL.resolve("possible_answer/BFCL_v4_" + name + ".json");
    return BfclSuite.read(BFCL.resolve("BFCL_v4_" + name + ".json"), answers.toFile().exists() ? answers : null);
  }

  /** One output to check: the text, whether it must pass, and a fragment its error must hold when not. */
  record Probe(String kind, String id, String output, boolean valid, String errorFragment) {}

  /** Agreement per kind of probe: how many there were, how many the checker judged as expected. */
  private final Map<String, int[]> agreement = new LinkedHashMap<>();

  private final List<String> disagreements = new ArrayList<>();

  @Test
  void groundTruthPassesAndEveryPerturbationFails() {
    EvalRunner runner = new EvalRunner();
    for (String name : List.of("simple_python", "multiple", "parallel", "irrelevance")) {
      EvalSuite suite = suite(name);
      for (int i = 0; i < suite.cases().size(); i++) {
        EvalCase evalCase = suite.cases().get(i);
        for (Probe probe : probes(evalCase, i % 2 == 0)) {
          CaseResult result = runner.runCase(suite.name(), evalCase, conversation -> probe.output());
          boolean agrees = probe.valid()
              ? result.passed()
              : !result.passed() && result.error() != null && result.error().contains(probe.errorFragment());
          int[] counts = agreement.computeIfAbsent(name + " " + probe.kind(), k -> new int[2]);
          counts[0]++;
          counts[1] += agrees ? 1 : 0;
          if (!agrees && disagreements.size() < 10) {
            disagreements.add(probe.kind() + " " + probe.id() + ": passed=" + result.passed() + ", error="
                + result.error() + ", output=" + probe.output());
          }
        }
      }
    }
    StringBuilder table = new StringBuilder("agreement with the expected verdicts (agreeing / probes):\n");
    agreement.forEach((kind, counts) -> table.append(String.format("  %-34s %4d / %4d%n", kind, counts[1], counts[0])));
    System.out.print(table);
    assertTrue(disagreements.isEmpty(), table + "first disagreements:\n" + String.join("\n", disagreements));
  }

  /** The valid output of a case and its perturbations, where each applies. */
  static List<Probe> probes(EvalCase evalCase, boolean leaveOutOptional) {
    List<Probe> probes = new ArrayList<>();
    String id = evalCase.id();
    if (evalCase.expectation() instanceof Expectation.NoCall) {
      probes.add(new Probe("valid", id, "None of the functions I have can answer that.", true, null));
      ObjectNode call = Json.MAPPER.createObjectNode();
      call.put("name", evalCase.toolNames().iterator().next());
      call.putObject("arguments");
      probes.add(new Probe("extra_call", id, render(List.of(call)), false, "expected no tool call"));
      return probes;
    }
    List<Expectation.ExpectedCall> expected = ((Expectation.ToolCalls) evalCase.expectation()).calls();
    List<ObjectNode> calls = new ArrayList<>();
    for (Expectation.ExpectedCall want : expected) {
      ObjectNode call = Json.MAPPER.createObjectNode();
      call.put("name", want.name());
      ObjectNode arguments = call.putObject("arguments");
      List<String> required = required(evalCase, want.name());
      for (var argument : want.arguments().properties()) {
        JsonNode value = firstValue(argument.getValue());
        boolean leaveOut = leaveOutOptional && ToolCallChecker.optional(argument.getValue())
            && !required.contains(argument.getKey());
        if (value != null && !leaveOut) {
          arguments.set(argument.getKey(), concrete(value));
        }
      }
      calls.add(call);
    }
    probes.add(new Probe("valid", id, render(calls), true, null));

    ObjectNode first = calls.get(0);
    String function = first.get("name").stringValue();
    probes.add(new Probe("wrong_name", id, render(changed(calls, 0, c -> c.put("name", function + "_v2"))), false,
        "missing a call to " + function));

    List<String> required = required(evalCase, function);
    if (!required.isEmpty() && first.get("arguments").has(required.get(0))) {
      probes.add(new Probe("missing_required", id,
          render(changed(calls, 0, c -> ((ObjectNode) c.get("arguments")).remove(required.get(0)))), false,
          "missing required argument '" + required.get(0) + "'"));
    }

    JsonNode properties = ToolCallChecker.parameters(evalCase.tools(), function).get("properties");
    for (var argument : first.get("arguments").properties()) {
      String type = properties.get(argument.getKey()).path("type").asString("");
      if (!type.equals("any")) {
        String name = argument.getKey();
        JsonNode wrong = argument.getValue().isString() ? Json.MAPPER.getNodeFactory().numberNode(12345)
            : Json.MAPPER.getNodeFactory().stringNode(argument.getValue().toString());
        probes.add(new Probe("wrong_type", id,
            render(changed(calls, 0, c -> ((ObjectNode) c.get("arguments")).set(name, wrong))), false,
            "argument '" + name + "' has type"));
        break;
      }
    }

    for (var argument : first.get("arguments").properties()) {
      JsonNode wrong = otherValue(argument.getValue(), expected.get(0).arguments().get(argument.getKey()));
      if (wrong != null) {
        String name = argument.getKey();
        probes.add(new Probe("wrong_value", id,
            render(changed(calls, 0, c -> ((ObjectNode) c.get("arguments")).set(name, wrong))), false,
            "argument '" + name + "' has value"));
        break;
      }
    }

    List<ObjectNode> extra = new ArrayList<>(calls);
    extra.add(first.deepCopy());
    probes.add(new Probe("extra_call", id, render(extra), false, "an unexpected call to " + function));

    if (calls.size() > 1) {
      probes.add(new Probe("missing_call", id, render(calls.subList(0, calls.size() - 1)), false,
          "missing a call to " + calls.get(calls.size() - 1).get("name").stringValue()));
    }
    return probes;
  }

  /** The first acceptable value that is not the "may be left out" marker, or null. */
  static JsonNode firstValue(JsonNode acceptable) {
    for (JsonNode option : acceptable) {
      if (!option.isNull() && !(option.isString() && option.stringValue().isEmpty())) {
        return option;
      }
    }
    return null;
  }

  /** A possible answer made concrete: BFCL's objects map keys to acceptable values, so take the first of each. */
  static JsonNode concrete(JsonNode answer) {
    if (answer.isObject()) {
      ObjectNode value = Json.MAPPER.createObjectNode();
      for (var field : answer.properties()) {
        JsonNode first = field.getValue().isArray() ? firstValue(field.getValue()) : field.getValue();
        if (first != null) {
          value.set(field.getKey(), concrete(first));
        }
      }
      return value;
    }
    if (answer.isArray()) {
      ArrayNode value = Json.MAPPER.createArrayNode();
      answer.forEach(item -> value.add(concrete(item)));
      return value;
    }
    return answer;
  }

  /** A value of the same type that none of the acceptable values can be, or null when there is none to make. */
  static JsonNode otherValue(JsonNode value, JsonNode acceptable) {
    if (value.isString()) {
      return Json.MAPPER.getNodeFactory().stringNode(value.stringValue() + " qzx");
    }
    if (value.isIntegralNumber()) {
      return Json.MAPPER.getNodeFactory().numberNode(value.longValue() + 1_000_003);
    }
    if (value.isNumber()) {
      return Json.MAPPER.getNodeFactory().numberNode(value.doubleValue() + 1_000_003.25);
    }
    if (value.isBoolean()) {
      JsonNode flipped = Json.MAPPER.getNodeFactory().booleanNode(!value.booleanValue());
      for (JsonNode option : acceptable) {
        if (option.equals(flipped)) {
          return null;
        }
      }
      return flipped;
    }
    if (value.isArray() && !value.isEmpty()) {
      ArrayNode longer = (ArrayNode) value.deepCopy();
      longer.add(value.get(0).deepCopy());
      return longer;
    }
    return null;
  }

  private static List<String> required(EvalCase evalCase, String function) {
    List<String> required = new ArrayList<>();
    ToolCallChecker.parameters(evalCase.tools(), function).path("required").forEach(r -> required.add(r.asString()));
    return required;
  }

  private static List<ObjectNode> changed(List<ObjectNode> calls, int index, Function<ObjectNode, Object> change) {
    List<ObjectNode> copy = new ArrayList<>();
    calls.forEach(call -> copy.add(call.deepCopy()));
    change.apply(copy.get(index));
    return copy;
  }

  /** Calls as Qwen3 writes them. */
  static String render(List<ObjectNode> calls) {
    List<String> blocks = new ArrayList<>();
    calls.forEach(call -> blocks.add("<tool_call>\n" + Json.write(call) + "\n</tool_call>"));
    return String.join("\n", blocks);
  }
}
