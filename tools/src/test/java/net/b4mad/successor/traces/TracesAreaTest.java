package net.b4mad.successor.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import net.b4mad.successor.workspace.PathOutsideRootsException;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The three tools and the resource through their handlers, on a real workspace; outputs checked by schema. */
class TracesAreaTest {

  @TempDir Path dir;
  TracesArea area;

  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  @BeforeEach
  void setUp() {
    area = new TracesArea(Workspace.open(dir.resolve("ws"), List.of(TraceFixtures.shared(""))));
  }

  private Map<String, Object> call(String tool, Map<String, Object> arguments) throws Exception {
    ToolDefinition definition = area.tools().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow();
    Map<String, Object> input = Json.toMap(Json.MAPPER.readTree(definition.inputSchema()));
    var inputCheck = validator.validate(input, arguments);
    assertTrue(inputCheck.valid(), inputCheck.errorMessage());
    Map<String, Object> result = Json.toMap(definition.handler().call(new ToolCall(arguments, ToolContext.detached(tool))));
    var outputCheck = validator.validate(Json.toMap(Json.MAPPER.readTree(definition.outputSchema())), result);
    assertTrue(outputCheck.valid(), outputCheck.errorMessage());
    return result;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> traces(Map<String, Object> search) {
    return (List<Map<String, Object>>) search.get("traces");
  }

  @Test
  void importsTheSharedFixturesOnceAndSearchesThem() throws Exception {
    String fixtures = TraceFixtures.shared("").toString();
    Map<String, Object> first = call("traces_import", Map.of("path", fixtures, "tags", List.of("fixtures")));
    assertEquals(97, first.get("imported"));
    assertEquals(5, first.get("duplicates"));
    assertEquals(List.of(), first.get("skipped"));
    assertEquals(Map.of("claude-code", 1, "openai", 1, "sharegpt", 100), first.get("formats"));
    Map<String, Object> again = call("traces_import", Map.of("path", fixtures));
    assertEquals(0, again.get("imported"));
    assertEquals(102, again.get("duplicates"));

    Map<String, Object> weather = call("traces_search", Map.of("tool", "get_temperature_date"));
    assertEquals(1, weather.get("count"));
    Map<String, Object> summary = traces(weather).get(0);
    assertEquals(List.of("get_current_temperature", "get_temperature_date"), summary.get("tool_names"));
    assertEquals(5, summary.get("message_count"));
    assertEquals(List.of("fixtures"), summary.get("tags"));
    assertTrue(((String) summary.get("first_user_message")).startsWith("What's the temperature in San Francisco"));

    Map<String, Object> claude = call("traces_search", Map.of("agent", "claude-code", "since", "2025-12-24", "until", "2025-12-25T00:00:00Z"));
    assertEquals(1, claude.get("count"));
    assertEquals("test-session-id", traces(claude).get(0).get("session_id"));
    assertEquals("2025-12-24T10:00:00Z", traces(claude).get(0).get("started_at"));
    assertEquals(0, call("traces_search", Map.of("agent", "claude-code", "since", "2025-12-25")).get("count"));

    Map<String, Object> limited = call("traces_search", Map.of("text", "recipe", "limit", 3));
    assertEquals(3, limited.get("count"));
    assertEquals(true, limited.get("truncated"));
    Map<String, Object> all = call("traces_search", Map.of("tag", "fixtures", "limit", 500));
    assertEquals(97, all.get("count"));
    assertEquals(false, all.get("truncated"));

    ToolException bad = assertThrows(ToolException.class, () -> call("traces_search", Map.of("since", "last week")));
    assertTrue(bad.getMessage().contains("ISO-8601"), bad.getMessage());
  }

  @Test
  void pathsOutsideTheAllowedRootsAreRefused() {
    assertThrows(PathOutsideRootsException.class, () -> call("traces_import", Map.of("path", dir.toString())));
  }

  @Test
  void logsAConversationOnceScrubbedAndReadsItBackAsAResource() throws Exception {
    Map<String, Object> conversation =
        Json.toMap(
            Json.MAPPER.readTree(
                """
                {"messages": [
                  {"role": "user", "content": "Close bd-q4p2, the deploy key is ghp_R4nd0mF4k3T0k3nV4lu3F0rT3st1ngXyZ123"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "bd_close", "arguments": "{\\"id\\": \\"bd-q4p2\\"}"}}]},
                  {"role": "tool", "tool_call_id": "c1", "content": "closed"},
                  {"role": "assistant", "content": "Closed bd-q4p2."}],
                 "tools": [{"type": "function", "function": {"name": "bd_close", "parameters": {"type": "object"}}}]}
                """));
    Map<String, Object> logged =
        call("traces_log", Map.of("conversation", conversation, "agent", "Lotti", "outcome", "success", "tags", List.of("live")));
    assertEquals(true, logged.get("stored"));
    assertEquals(4, logged.get("message_count"));
    assertEquals(List.of("bd-q4p2"), logged.get("bead_ids"));
    assertEquals(Map.of("github_token", 1), logged.get("scrubbed"));
    String id = (String) logged.get("id");
    assertEquals(false, call("traces_log", Map.of("conversation", conversation)).get("stored"));

    var template = area.resourceTemplates().get(0);
    assertEquals("successor://traces/{id}", template.resourceTemplate().uriTemplate());
    McpSchema.ReadResourceResult read =
        template.readHandler().apply(null, new McpSchema.ReadResourceRequest("successor://traces/" + id));
    String json = ((McpSchema.TextResourceContents) read.contents().get(0)).text();
    JsonNode trace = Json.MAPPER.readTree(json);
    assertEquals(id, trace.get("id").stringValue());
    assertEquals("Lotti", trace.at("/metadata/agent").stringValue());
    assertEquals("live", trace.at("/metadata/source").stringValue());
    assertEquals("success", trace.at("/metadata/outcome").stringValue());
    assertFalse(trace.at("/metadata/started_at").isNull());
    assertTrue(json.contains("[REDACTED_GITHUB_TOKEN]"));

    // The canonical form, as the resource shows it, is accepted too, and is the same conversation.
    Map<String, Object> canonical = call("traces_log", Map.of("conversation", Json.toMap(trace)));
    assertEquals(false, canonical.get("stored"));
    assertEquals(id, canonical.get("id"));

    assertEquals(1, call("traces_search", Map.of("outcome", "success", "bead_id", "bd-q4p2")).get("count"));
    assertThrows(
        McpError.class,
        () -> template.readHandler().apply(null, new McpSchema.ReadResourceRequest("successor://traces/tr-0000")));
  }

  @Test
  void aConversationInNoKnownFormIsAToolError() {
    ToolException e =
        assertThrows(
            ToolException.class,
            () -> call("traces_log", Map.of("conversation", Map.of("messages", List.of(Map.of("role", "oracle", "content", "x"))))));
    assertTrue(e.getMessage().contains("messages[0]: unknown role 'oracle'"), e.getMessage());
  }
}
