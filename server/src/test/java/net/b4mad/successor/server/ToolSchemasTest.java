package net.b4mad.successor.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.b4mad.successor.beads.EmbeddedBeads;
import net.b4mad.successor.jobs.JobBeads;
import net.b4mad.successor.jobs.JobQueue;
import net.b4mad.successor.cli.ServeCommand;
import net.b4mad.successor.cli.WorkerCommand;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolArea;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.workspace.Workspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server skips schema validation at start-up ({@link DeferredSchemaValidator}); this is where every tool's
 * schemas are checked against the real validator instead.
 */
class ToolSchemasTest {

  @TempDir Path dir;

  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  private List<ToolArea> areas() {
    Workspace workspace = Workspace.open(dir.resolve("ws"), List.of());
    EmbeddedBeads beads = new EmbeddedBeads(workspace.root());
    JobQueue queue = new JobQueue(workspace, () -> {}, JobBeads.NONE, WorkerCommand.runners(workspace, beads));
    return ServeCommand.areas(workspace, beads, queue, dir.resolve("hf"));
  }

  @Test
  void everyToolHasValidSchemasAndADescriptionForAgents() {
    for (ToolArea area : areas()) {
      for (ToolDefinition tool : area.tools()) {
        for (String schema : List.of(tool.inputSchema(), tool.outputSchema())) {
          Map<String, Object> parsed = Json.toMap(Json.MAPPER.readTree(schema));
          assertTrue(validator.validateSchema(parsed).valid(), tool.name() + ": " + validator.validateSchema(parsed));
          assertTrue("object".equals(parsed.get("type")), tool.name() + " schemas must describe objects");
        }
        assertTrue(tool.name().matches("[a-z][a-z0-9_]*"), tool.name());
        assertTrue(tool.description().length() > 80, tool.name() + " needs a description an agent can act on");
        assertFalse(tool.title().isBlank());
      }
    }
  }

  /** Tools are added to the running server, which would replace a tool of the same name without a word. */
  @Test
  void toolNamesAreUnique() {
    List<String> names = areas().stream().flatMap(area -> area.tools().stream()).map(ToolDefinition::name).toList();
    assertEquals(names.size(), Set.copyOf(names).size(), names.toString());
  }

  @Test
  void workspaceInfoOutputMatchesItsSchema() throws Exception {
    ToolDefinition info = areas().get(0).tools().get(0);
    Map<String, Object> schema = Json.toMap(Json.MAPPER.readTree(info.outputSchema()));
    for (boolean probe : List.of(false, true)) {
      Object result = info.handler().call(new ToolCall(Map.of("probe_device", probe), ToolContext.detached("t")));
      var response = validator.validate(schema, Json.toMap(result));
      assertTrue(response.valid(), response.errorMessage());
    }
  }

  @Test
  void theDeferredValidatorStillRejectsBadOutput() {
    Map<String, Object> schema = Map.of("type", "object", "required", List.of("a"));
    assertFalse(new DeferredSchemaValidator().validate(schema, Map.of("b", 1)).valid());
  }
}
