package net.b4mad.successor.datasets;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import net.b4mad.successor.chat.RenderedChat;
import net.b4mad.successor.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * Checks that an example teaches what it should: well-formed messages in a legal order, tool calls that parse,
 * name an offered tool and fit its schema, results that answer calls, and a length that fits training.
 *
 * <p>Role order follows what the Qwen3 template and TRL render sensibly: system messages anywhere (the first
 * goes into the header), then a user message first; {@code tool} results only in the block right after an
 * assistant message with calls; no assistant directly after an assistant. A conversation may end on an
 * assistant's calls (the model learns to make them), but calls followed by anything other than their results
 * are unanswered. Calls and results are matched by id where both carry ids, otherwise by count.
 *
 * <p>Thread-safe: a build checks examples in parallel.
 */
public final class DatasetValidator {

  public static final int DEFAULT_MAX_TOKENS = 4096;

  public static final String MALFORMED = "malformed";
  public static final String INVALID_TOOL_DEFINITION = "invalid_tool_definition";
  public static final String INVALID_JSON_ARGUMENTS = "invalid_json_arguments";
  public static final String UNKNOWN_TOOL = "unknown_tool";
  public static final String SCHEMA_VIOLATION = "schema_violation";
  public static final String BAD_ROLE_ORDER = "bad_role_order";
  public static final String UNANSWERED_CALL = "unanswered_call";
  public static final String ORPHAN_RESULT = "orphan_result";
  public static final String EMPTY_ASSISTANT = "empty_assistant";
  public static final String TOO_LONG = "too_long";
  public static final String DUPLICATE_ID = "duplicate_id";

  public static final List<String> KINDS =
      List.of(MALFORMED, INVALID_TOOL_DEFINITION, INVALID_JSON_ARGUMENTS, UNKNOWN_TOOL, SCHEMA_VIOLATION,
          BAD_ROLE_ORDER, UNANSWERED_CALL, ORPHAN_RESULT, EMPTY_ASSISTANT, TOO_LONG, DUPLICATE_ID);

  private static final String SDK_PREFIX = "Validation failed: JSON schema validation errors: ";

  private final TokenCounter tokens;
  private final int maxTokens;
  private final JsonSchemaValidator schemas = McpJsonDefaults.getSchemaValidator();
  /** Tool schemas repeat across examples; converting each to the validator's map form once saves most of the cost. */
  private final Map<JsonNode, Map<String, Object>> schemaMaps = new ConcurrentHashMap<>();

  /**
   * @param tokens counts tokens for the {@code too_long} check; null skips it
   * @param maxTokens the longest rendered example allowed, in tokens
   */
  public DatasetValidator(TokenCounter tokens, int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
    }
    this.tokens = tokens;
    this.maxTokens = maxTokens;
  }

  public int maxTokens() {
    return maxTokens;
  }

  /** Validates one example, and renders and counts it on the way. */
  public CheckedExample check(DatasetExample example) {
    Problems problems = new Problems(example.id());
    Map<String, JsonNode> offered = offeredTools(example, problems);
    checkMessages(example, problems);
    checkCalls(example, offered, problems);

    RenderedChat rendered = null;
    int count = -1;
    try {
      rendered = example.render();
    } catch (IllegalArgumentException e) {
      // Usually explained by a problem found above; otherwise the template's own complaint is the report.
      if (!problems.has(MALFORMED) && !problems.has(INVALID_JSON_ARGUMENTS)) {
        problems.add(MALFORMED, e.getMessage(), "Write the example in the OpenAI/TRL form: string content, tool_calls only on assistant messages.");
      }
    }
    if (rendered != null && tokens != null) {
      count = tokens.count(rendered.text());
      if (count > maxTokens) {
        problems.add(
            TOO_LONG,
            "renders to " + count + " tokens under the Qwen3 template, over the limit of " + maxTokens,
            "Split the conversation into shorter examples, shorten long tool results, or raise max_tokens if the"
                + " training run's max sequence length allows it.");
      }
    }
    return new CheckedExample(example, rendered, count, problems.list);
  }

  /**
   * Validates many examples (in parallel) and reports them in order, plus a {@code duplicate_id} problem for each
   * example whose id an earlier one already had.
   *
   * @param unreadable problems of entries that could not be read as examples at all; they count as invalid
   */
  public ValidationReport validateAll(List<DatasetExample> examples, List<ValidationProblem> unreadable, int maxProblems) {
    // Only the problems are kept: holding every rendering at once would cost more memory than the examples.
    List<List<ValidationProblem>> checked = examples.parallelStream().map(e -> check(e).problems()).toList();
    List<ValidationProblem> all = new ArrayList<>(unreadable);
    Set<String> ids = new HashSet<>();
    int invalid = unreadable.size();
    for (int i = 0; i < examples.size(); i++) {
      String id = examples.get(i).id();
      List<ValidationProblem> problems = new ArrayList<>(checked.get(i));
      if (!ids.add(id)) {
        problems.add(new ValidationProblem(id, DUPLICATE_ID, "another example before this one has the id '" + id + "'",
            "Give every example its own id; trainers do not care, but reports and previews name examples by id."));
      }
      invalid += problems.isEmpty() ? 0 : 1;
      all.addAll(problems);
    }
    return ValidationReport.of(all, examples.size() + unreadable.size(), invalid, maxProblems);
  }

  /** Tool definitions by name, reporting definitions without a name or with a non-object schema. */
  private static Map<String, JsonNode> offeredTools(DatasetExample example, Problems problems) {
    Map<String, JsonNode> offered = new HashMap<>();
    for (int i = 0; i < example.tools().size(); i++) {
      JsonNode tool = example.tools().get(i);
      JsonNode function = tool.path("function").isObject() ? tool.get("function") : tool;
      JsonNode name = function.get("name");
      if (name == null || !name.isString() || name.stringValue().isBlank()) {
        problems.add(INVALID_TOOL_DEFINITION, "tools[" + i + "] has no function name",
            "Write each tool as {\"type\": \"function\", \"function\": {\"name\", \"description\", \"parameters\"}}.");
        continue;
      }
      JsonNode parameters = function.get("parameters");
      if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
        problems.add(INVALID_TOOL_DEFINITION,
            "tools[" + i + "] (" + name.stringValue() + ") has 'parameters' that is not a JSON schema object",
            "Give the tool's parameters as a JSON Schema object, e.g. {\"type\": \"object\", \"properties\": {...}}.");
        parameters = null;
      }
      offered.put(name.stringValue(), parameters == null ? Json.MAPPER.nullNode() : parameters);
    }
    return offered;
  }

  private static void checkMessages(DatasetExample example, Problems problems) {
    List<JsonNode> messages = example.messages();
    if (messages.isEmpty()) {
      problems.add(BAD_ROLE_ORDER, "the example has no messages", "Add a user message and the assistant's answer.");
      return;
    }
    String previous = null; // role of the previous non-system message
    boolean seenNonSystem = false;
    boolean seenAssistant = false;
    // Calls of the latest assistant message still waiting for a result; null outside a call/result block.
    List<String> pending = null;
    boolean callsHaveIds = false;
    int callsAt = -1;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String where = "messages[" + i + "]";
      String role = message.path("role").isString() ? message.get("role").stringValue() : null;
      if (!message.isObject() || role == null || !List.of("system", "user", "assistant", "tool").contains(role)) {
        problems.add(MALFORMED, where + " needs a 'role' of system, user, assistant or tool, got " + DatasetExample.describe(message.get("role")),
            "Give every message a role: system, user, assistant or tool.");
        continue;
      }
      JsonNode content = message.get("content");
      if (content != null && !content.isNull() && !content.isString()) {
        problems.add(MALFORMED, where + ".content must be a string or null, got " + DatasetExample.describe(content),
            content.isArray() ? "Join the content parts into one string." : "Write the content as a string.");
      }
      for (String field : List.of("tool_calls", "reasoning_content")) {
        JsonNode value = message.get(field);
        if (!role.equals("assistant") && value != null && !value.isNull()) {
          problems.add(MALFORMED, where + " is a " + role + " message with " + field + ", which only assistant messages have",
              "Move the " + field + " to the assistant message that produced it.");
        }
      }
      if (role.equals("system")) {
        continue;
      }
      if (!seenNonSystem && !role.equals("user")) {
        problems.add(BAD_ROLE_ORDER, where + " is the first message after the system prompt but has role " + role,
            "Start the conversation with the user's request.");
      }
      seenNonSystem = true;
      switch (role) {
        case "user" -> {
          if (pending != null && !pending.isEmpty()) {
            unanswered(problems, callsAt, pending, "the user message at " + where);
          }
          pending = null;
        }
        case "assistant" -> {
          seenAssistant = true;
          if (pending != null && !pending.isEmpty()) {
            unanswered(problems, callsAt, pending, "the assistant message at " + where);
          } else if ("assistant".equals(previous)) {
            problems.add(BAD_ROLE_ORDER, where + " follows another assistant message with no user or tool message between",
                "Merge the two assistant messages into one, or drop one of them.");
          }
          JsonNode calls = message.get("tool_calls");
          pending = null;
          if (calls != null && calls.isArray() && !calls.isEmpty()) {
            pending = new ArrayList<>();
            callsHaveIds = true;
            for (JsonNode call : calls) {
              JsonNode id = call.get("id");
              callsHaveIds &= id != null && id.isString();
              pending.add(id != null && id.isString() ? id.stringValue() : null);
            }
            callsAt = i;
          } else if (calls != null && !calls.isNull() && !calls.isArray()) {
            problems.add(MALFORMED, where + ".tool_calls must be an array, got " + DatasetExample.describe(calls),
                "Write tool_calls as [{\"type\": \"function\", \"function\": {\"name\", \"arguments\"}}].");
          }
          if (isBlank(content) && isBlank(message.get("reasoning_content")) && (calls == null || calls.isEmpty())) {
            problems.add(EMPTY_ASSISTANT, where + " has no content, reasoning or tool calls",
                "Drop the empty assistant message, or write what the assistant said.");
          }
        }
        case "tool" -> {
          JsonNode answers = message.get("tool_call_id");
          String answerId = answers != null && answers.isString() ? answers.stringValue() : null;
          if (pending == null) {
            problems.add(ORPHAN_RESULT, where + " is a tool result that follows no assistant tool call",
                "Drop the tool result, or put it right after the assistant message that made the call.");
          } else if (answerId != null && callsHaveIds) {
            if (!pending.remove(answerId)) {
              problems.add(ORPHAN_RESULT,
                  where + " answers tool_call_id '" + answerId + "', which no open call of messages[" + callsAt + "] has",
                  "Set tool_call_id to the id of the call it answers, or drop the extra result.");
            }
          } else if (pending.isEmpty()) {
            problems.add(ORPHAN_RESULT, where + " is one tool result more than messages[" + callsAt + "] made calls",
                "Drop the extra result, or add the call it answers.");
          } else {
            pending.remove(0);
          }
        }
        default -> throw new IllegalStateException(role);
      }
      previous = role;
    }
    // Ending on the calls themselves is fine; ending after only some of their results is not.
    boolean endsOnCalls = callsAt == lastNonSystem(messages);
    if (pending != null && !pending.isEmpty() && !endsOnCalls) {
      unanswered(problems, callsAt, pending, "the end of the conversation");
    }
    if (!seenAssistant) {
      problems.add(BAD_ROLE_ORDER, "the example has no assistant message, so nothing to train on",
          "Add the assistant's answer after the user's request.");
    }
  }

  private static int lastNonSystem(List<JsonNode> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (!"system".equals(messages.get(i).path("role").asString(""))) {
        return i;
      }
    }
    return -1;
  }

  private static void unanswered(Problems problems, int callsAt, List<String> pending, String before) {
    String which = pending.stream().allMatch(id -> id != null) ? " (" + String.join(", ", pending) + ")" : "";
    problems.add(UNANSWERED_CALL,
        pending.size() + " tool call(s) of messages[" + callsAt + "]" + which + " have no tool result before " + before,
        "Add a tool message with each call's result (tool_call_id set to the call's id) right after the calls,"
            + " or drop the calls.");
  }

  private void checkCalls(DatasetExample example, Map<String, JsonNode> offered, Problems problems) {
    for (DatasetExample.Call call : example.toolCalls()) {
      String where = call.location();
      if (call.name() == null) {
        problems.add(MALFORMED, where + " has no function name",
            "Write the call as {\"type\": \"function\", \"function\": {\"name\", \"arguments\"}}.");
        continue;
      }
      JsonNode arguments = call.arguments();
      if (arguments == null || !arguments.isObject()) {
        String got = arguments == null ? "no arguments" : arguments.isString()
            ? "the string " + DatasetExample.describe(arguments) + ", which is not a JSON object"
            : DatasetExample.describe(arguments);
        problems.add(INVALID_JSON_ARGUMENTS, where + " (" + call.name() + ") has " + got,
            "Write the arguments as a JSON object, e.g. {\"path\": \"README.md\"}; use {} for a call without arguments.");
        continue;
      }
      if (!offered.containsKey(call.name())) {
        problems.add(UNKNOWN_TOOL,
            where + " calls '" + call.name() + "', which this example does not offer"
                + (offered.isEmpty() ? " (its tools list is empty)" : "; it offers " + new TreeSet<>(offered.keySet())),
            "Add the tool's definition to the example's 'tools', or correct the tool name.");
        continue;
      }
      JsonNode parameters = offered.get(call.name());
      if (parameters.isObject()) {
        String error = schemaError(parameters, arguments);
        if (error != null) {
          problems.add(SCHEMA_VIOLATION, where + " (" + call.name() + ") arguments do not fit the tool's parameters: " + error,
              "Correct the arguments to match the tool's JSON schema (required properties, types, enums).");
        }
      }
    }
  }

  /** The validator's complaint, or null when the arguments fit. */
  private String schemaError(JsonNode parameters, JsonNode arguments) {
    Map<String, Object> schema = schemaMaps.computeIfAbsent(parameters, Json::toMap);
    ValidationResponse response;
    try {
      response = schemas.validate(schema, Json.toMap(arguments));
    } catch (RuntimeException e) {
      return "the tool's schema could not be used: " + e.getMessage();
    }
    if (response.valid()) {
      return null;
    }
    String message = response.errorMessage();
    return message != null && message.startsWith(SDK_PREFIX) ? message.substring(SDK_PREFIX.length()) : message;
  }

  private static boolean isBlank(JsonNode text) {
    return text == null || text.isNull() || (text.isString() && text.stringValue().isBlank());
  }

  /** Problems of one example, at most one per kind and location. */
  private static final class Problems {
    private final String exampleId;
    private final List<ValidationProblem> list = new ArrayList<>();
    private final Map<String, Boolean> seen = new LinkedHashMap<>();

    Problems(String exampleId) {
      this.exampleId = exampleId;
    }

    void add(String kind, String message, String fix) {
      if (seen.putIfAbsent(kind + "\n" + message, true) == null) {
        list.add(new ValidationProblem(exampleId, kind, message, fix));
      }
    }

    boolean has(String kind) {
      return list.stream().anyMatch(p -> p.kind().equals(kind));
    }
  }
}
