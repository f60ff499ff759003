package net.b4mad.successor.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.b4mad.successor.chat.ToolCall;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * BFCL's AST check of the calls of one assistant turn against the expected calls (possible answers), as the
 * suite format describes it (examples/eval/README.md) and BFCL's {@code ast_checker.py} does it: exact function
 * names, required arguments present, no argument that the schema or the expected answer lacks, values
 * type-checked against the tool's schema, strings compared normalised, numbers numerically, lists and objects
 * recursively, {@code ""} or {@code null} marking an argument that may be left out, and parallel calls matched in
 * any order.
 *
 * <p>Where BFCL is weaker than the contract this checker follows the contract: parallel calls are matched by a
 * proper assignment (BFCL takes the first fit per expected call, which can miss a valid pairing), and nested
 * values are normalised and type-checked at every depth (BFCL checks one level).
 */
public final class ToolCallChecker {

  /** BFCL's {@code standardize_string}: these characters do not count. */
  private static final Pattern IGNORED = Pattern.compile("[ ,./\\-_*^]");

  private static final int SHOWN_CHARS = 200;

  private ToolCallChecker() {}

  /**
   * @param toolSelection the names of the calls are the expected ones, as many times each
   * @param passed every expected call is matched by one call whose arguments pass
   * @param error what is wrong, for a human reading the failure; null when it passed
   */
  public record Result(boolean toolSelection, boolean passed, String error) {}

  /**
   * @param calls what the model called
   * @param expected the calls it must make, each argument with its acceptable values
   * @param tools the tool definitions the model saw ({@code {"type": "function", "function": {...}}} or bare
   *     {@code {"name", "parameters"}}); their parameter schemas type the arguments
   */
  public static Result check(List<ToolCall> calls, List<Expectation.ExpectedCall> expected, List<JsonNode> tools) {
    List<String> called = calls.stream().map(ToolCall::name).sorted().toList();
    List<String> wanted = expected.stream().map(Expectation.ExpectedCall::name).sorted().toList();
    if (!called.equals(wanted)) {
      return new Result(false, false, selectionError(called, wanted));
    }
    int n = calls.size();
    String[][] errors = new String[n][n];
    for (int e = 0; e < n; e++) {
      Expectation.ExpectedCall want = expected.get(e);
      for (int c = 0; c < n; c++) {
        errors[e][c] = calls.get(c).name().equals(want.name())
            ? checkCall(calls.get(c), want, parameters(tools, want.name()))
            : "a different function";
      }
    }
    int[] callOf = assign(errors);
    for (int e = 0; e < n; e++) {
      if (callOf[e] < 0) {
        return new Result(true, false, unmatchedError(e, expected.get(e), calls, errors, callOf));
      }
    }
    return new Result(true, true, null);
  }

  /** The arguments of a call as a JSON object: the OpenAI wire form (a JSON string) is parsed first. */
  static JsonNode arguments(ToolCall call) {
    JsonNode arguments = call.arguments();
    if (arguments.isString()) {
      try {
        arguments = Json.MAPPER.readTree(arguments.stringValue());
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            call.name() + ": the arguments are a string that is not JSON: " + e.getOriginalMessage(), e);
      }
    }
    if (arguments == null || !arguments.isObject()) {
      throw new IllegalArgumentException(call.name() + ": the arguments must be a JSON object, got " + show(arguments));
    }
    return arguments;
  }

  /** Why CALL does not satisfy WANT, or null when it does. Both name the same function. */
  static String checkCall(ToolCall call, Expectation.ExpectedCall want, JsonNode parameters) {
    String function = want.name();
    JsonNode arguments;
    try {
      arguments = arguments(call);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    JsonNode properties = parameters == null ? null : parameters.get("properties");
    JsonNode required = parameters == null ? null : parameters.get("required");
    if (required != null && required.isArray()) {
      for (JsonNode name : required) {
        if (name.isString() && !arguments.has(name.stringValue())) {
          return function + ": missing required argument '" + name.stringValue() + "'";
        }
      }
    }
    for (var argument : arguments.properties()) {
      String name = argument.getKey();
      JsonNode acceptable = want.arguments().get(name);
      if (properties != null && properties.isObject() && !properties.has(name)) {
        return function + ": unexpected argument '" + name + "' (the tool has no such parameter)";
      }
      if (acceptable == null) {
        return function + ": unexpected argument '" + name + "' (the expected call does not use it)";
      }
      JsonNode schema = properties == null ? null : properties.get(name);
      String problem = checkArgument(name, argument.getValue(), acceptable, schema);
      if (problem != null) {
        return function + ": " + problem;
      }
    }
    for (var argument : want.arguments().properties()) {
      if (!arguments.has(argument.getKey()) && !optional(argument.getValue())) {
        return function + ": missing argument '" + argument.getKey() + "', expected one of "
            + show(argument.getValue());
      }
    }
    return null;
  }

  private static String checkArgument(String name, JsonNode value, JsonNode acceptable, JsonNode schema) {
    if (value.isNull()) {
      return containsNull(acceptable) ? null
          : "argument '" + name + "' is null, expected one of " + show(acceptable);
    }
    // BFCL's "variable" rule: an acceptable value of a type the schema does not allow says what the answer's
    // author meant, so a value of that type passes the type check (and must then match a value).
    boolean typedByAnswer = false;
    for (JsonNode option : acceptable) {
      typedByAnswer |= !isOptionalMarker(option) && jsonType(option).equals(jsonType(value))
          && !hasSchemaType(option, schema);
    }
    if (!typedByAnswer) {
      String problem = typeProblem(name, value, schema);
      if (problem != null) {
        return problem;
      }
    }
    return matchesAny(value, acceptable, schema) ? null
        : "argument '" + name + "' has value " + show(value) + ", expected one of " + show(acceptable);
  }

  /** Why VALUE does not have SCHEMA's type (at any depth), or null. PATH names the value, e.g. coord[1]. */
  private static String typeProblem(String path, JsonNode value, JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return null;
    }
    if (!hasSchemaType(value, schema)) {
      return "argument '" + path + "' has type " + jsonType(value) + ", expected " + String.join(" or ", types(schema));
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        String problem = typeProblem(path + "[" + i + "]", value.get(i), schema.get("items"));
        if (problem != null) {
          return problem;
        }
      }
    }
    JsonNode properties = schema.get("properties");
    if (value.isObject() && properties != null && properties.isObject()) {
      for (var field : value.properties()) {
        String problem = typeProblem(path + "." + field.getKey(), field.getValue(), properties.get(field.getKey()));
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /** VALUE is of one of the types SCHEMA names (itself, not its items or properties); true when it names none. */
  private static boolean hasSchemaType(JsonNode value, JsonNode schema) {
    List<String> types = types(schema);
    return types.isEmpty() || types.stream().anyMatch(type -> hasType(value, type));
  }

  /** The type names of a schema: {@code "type": "x"} or {@code "type": ["x", "y"]}. */
  private static List<String> types(JsonNode schema) {
    JsonNode type = schema == null ? null : schema.get("type");
    List<String> types = new ArrayList<>();
    if (type != null && type.isString()) {
      types.add(type.stringValue());
    } else if (type != null && type.isArray()) {
      type.forEach(t -> types.add(t.asString()));
    }
    return types;
  }

  /** JSON Schema's types and the Python-ish ones of BFCL's function documents. */
  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "string" -> value.isString();
      case "integer" -> value.isIntegralNumber();
      case "number", "float", "double" -> value.isNumber();
      case "boolean", "bool" -> value.isBoolean();
      case "array", "tuple", "list" -> value.isArray();
      case "object", "dict" -> value.isObject();
      case "null" -> value.isNull();
      default -> true; // "any", and names this checker does not know, leave the value to the value check
    };
  }

  private static boolean matchesAny(JsonNode value, JsonNode acceptable, JsonNode schema) {
    if (!acceptable.isArray()) {
      return matches(value, acceptable, schema);
    }
    for (JsonNode option : acceptable) {
      if (matches(value, option, schema)) {
        return true;
      }
    }
    return false;
  }

  /**
   * VALUE against one acceptable value. An object's acceptable form is BFCL's: each key maps to the list of its
   * acceptable values (a single value stands for a list of one).
   */
  private static boolean matches(JsonNode value, JsonNode expected, JsonNode schema) {
    if (expected.isNull() || value.isNull()) {
      return expected.isNull() && value.isNull();
    }
    if (expected.isObject()) {
      if (!value.isObject()) {
        return false;
      }
      JsonNode properties = schema == null ? null : schema.get("properties");
      for (var field : value.properties()) {
        JsonNode options = expected.get(field.getKey());
        JsonNode fieldSchema = properties == null ? null : properties.get(field.getKey());
        if (options == null || !matchesAny(field.getValue(), options, fieldSchema)) {
          return false;
        }
      }
      for (var field : expected.properties()) {
        if (!value.has(field.getKey()) && !optional(field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (expected.isArray()) {
      if (!value.isArray() || value.size() != expected.size()) {
        return false;
      }
      JsonNode items = schema == null ? null : schema.get("items");
      for (int i = 0; i < value.size(); i++) {
        if (!matches(value.get(i), expected.get(i), items)) {
          return false;
        }
      }
      return true;
    }
    if (expected.isString()) {
      return value.isString() && normalize(value.stringValue()).equals(normalize(expected.stringValue()));
    }
    if (expected.isNumber()) {
      return value.isNumber() && value.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return expected.equals(value);
  }

  /**
   * BFCL's string normalisation: lower case, without spaces and {@code ,./-_*^}, single quotes as double, so
   * that "April 1, 2024" and "april 1 2024" are the same answer.
   */
  static String normalize(String text) {
    return IGNORED.matcher(text).replaceAll("").toLowerCase(Locale.ROOT).replace('\'', '"');
  }

  /** The acceptable values allow leaving the argument out: they hold BFCL's marker "" or null. */
  static boolean optional(JsonNode acceptable) {
    if (!acceptable.isArray()) {
      return isOptionalMarker(acceptable);
    }
    for (JsonNode option : acceptable) {
      if (isOptionalMarker(option)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOptionalMarker(JsonNode option) {
    return option.isNull() || (option.isString() && option.stringValue().isEmpty());
  }

  private static boolean containsNull(JsonNode acceptable) {
    for (JsonNode option : acceptable) {
      if (option.isNull()) {
        return true;
      }
    }
    return false;
  }

  private static String jsonType(JsonNode value) {
    if (value.isIntegralNumber()) {
      return "integer";
    }
    return value.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  /** The {@code parameters} schema of the tool named NAME, or null when the tools do not define it. */
  static JsonNode parameters(List<JsonNode> tools, String name) {
    for (JsonNode tool : tools) {
      JsonNode function = tool.has("function") ? tool.get("function") : tool;
      JsonNode toolName = function.get("name");
      if (toolName != null && toolName.isString() && toolName.stringValue().equals(name)) {
        return function.get("parameters");
      }
    }
    return null;
  }

  /** Kuhn's augmenting paths: which call each expected call gets (-1 for none), as many pairs as possible. */
  private static int[] assign(String[][] errors) {
    int n = errors.length;
    int[] callOf = new int[n];
    int[] expectedOf = new int[n];
    Arrays.fill(callOf, -1);
    Arrays.fill(expectedOf, -1);
    for (int e = 0; e < n; e++) {
      augment(e, errors, new boolean[n], callOf, expectedOf);
    }
    return callOf;
  }

  private static boolean augment(int e, String[][] errors, boolean[] seen, int[] callOf, int[] expectedOf) {
    for (int c = 0; c < errors.length; c++) {
      if (errors[e][c] == null && !seen[c]) {
        seen[c] = true;
        if (expectedOf[c] < 0 || augment(expectedOf[c], errors, seen, callOf, expectedOf)) {
          expectedOf[c] = e;
          callOf[e] = c;
          return true;
        }
      }
    }
    return false;
  }

  private static String selectionError(List<String> called, List<String> wanted) {
    if (called.isEmpty()) {
      return "expected " + (wanted.size() == 1 ? "a call to " + wanted.get(0) : wanted.size() + " calls " + wanted)
          + ", got no tool call";
    }
    List<String> missing = new ArrayList<>(wanted);
    called.forEach(missing::remove);
    List<String> extra = new ArrayList<>(called);
    wanted.forEach(extra::remove);
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add(missing.size() == 1 ? "missing a call to " + missing.get(0) : "missing " + missing.size() + " calls " + missing);
    }
    if (!extra.isEmpty()) {
      parts.add(extra.size() == 1 ? "an unexpected call to " + extra.get(0) : extra.size() + " unexpected calls " + extra);
    }
    return String.join("; ", parts) + " (expected " + wanted + ", got " + called + ")";
  }

  /** Why expected call E found no call: the errors of the calls to its function, one by one. */
  private static String unmatchedError(
      int e, Expectation.ExpectedCall want, List<ToolCall> calls, String[][] errors, int[] callOf) {
    List<Integer> candidates = new ArrayList<>();
    for (int c = 0; c < calls.size(); c++) {
      if (calls.get(c).name().equals(want.name())) {
        candidates.add(c);
      }
    }
    if (candidates.size() == 1) {
      return errors[e][candidates.get(0)];
    }
    List<String> reasons = new ArrayList<>();
    for (int c : candidates) {
      String reason = errors[e][c];
      if (reason == null) {
        reason = "it fits, but expected call " + (indexOf(callOf, c) + 1) + " needs it";
      }
      reasons.add("call " + (c + 1) + ": " + reason);
    }
    return "no call matches expected call " + (e + 1) + " " + want.name() + show(want.arguments()) + "; "
        + String.join("; ", reasons);
  }

  private static int indexOf(int[] values, int wanted) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** A value as compact JSON, cut when long. */
  static String show(JsonNode value) {
    String text = value == null ? "nothing" : Json.write(value);
    return text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
  }
}
