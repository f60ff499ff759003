package net.b4mad.successor.beads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.b4mad.successor.json.Json;
import net.b4mad.successor.mcp.ToolCall;
import net.b4mad.successor.mcp.ToolContext;
import net.b4mad.successor.mcp.ToolDefinition;
import net.b4mad.successor.mcp.ToolException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seven bead tools through their handlers on the embedded store; inputs and outputs checked by their schemas. */
class BeadsAreaTest {

  @TempDir Path dir;
  BeadsArea area;

  private final JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();

  @BeforeEach
  void setUp() {
    area = new BeadsArea(new EmbeddedBeads(dir));
  }

  private ToolDefinition tool(String name) {
    return area.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private boolean accepts(String tool, Map<String, Object> arguments) {
    return validator.validate(Json.toMap(Json.MAPPER.readTree(tool(tool).inputSchema())), arguments).valid();
  }

  private Map<String, Object> call(String tool, Map<String, Object> arguments) throws Exception {
    ToolDefinition definition = tool(tool);
    assertTrue(accepts(tool, arguments), tool + " refused " + arguments);
    Map<String, Object> result = Json.toMap(definition.handler().call(new ToolCall(arguments, ToolContext.detached(tool))));
    var outputCheck = validator.validate(Json.toMap(Json.MAPPER.readTree(definition.outputSchema())), result);
    assertTrue(outputCheck.valid(), outputCheck.errorMessage());
    return result;
  }

  @SuppressWarnings("unchecked")
  private static List<String> ids(Map<String, Object> listed) {
    return ((List<Map<String, Object>>) listed.get("beads")).stream().map(b -> (String) b.get("id")).toList();
  }

  @Test
  void aTrainingRunFromCreateToClose() throws Exception {
    Map<String, Object> data = call("bead_create", Map.of("title", "Build dataset tools-v3", "labels", List.of("pipeline")));
    String dataId = (String) data.get("id");
    Map<String, Object> run = call("bead_create", Map.of("title", "SFT run: tools-v3", "type", "task", "priority", 1,
        "description", "LoRA on Qwen3-0.6B", "labels", List.of("sft", "pipeline"), "depends_on", List.of(dataId)));
    String runId = (String) run.get("id");
    assertEquals("open", run.get("status"));
    assertEquals(1, run.get("priority"));
    assertEquals(List.of(Map.of("issue_id", runId, "depends_on_id", dataId, "type", "blocks", "created_at", run.get("created_at"))),
        run.get("dependencies"));

    assertEquals(List.of(dataId), ids(call("beads_ready", Map.of())));
    call("bead_close", Map.of("id", dataId, "reason", "built"));
    assertEquals(List.of(runId), ids(call("beads_ready", Map.of("label", "sft"))));

    call("bead_update", Map.of("id", runId, "status", "in_progress", "notes", "step 100: loss 1.92"));
    Map<String, Object> updated = call("bead_update", Map.of("id", runId, "notes", "step 200: loss 1.41", "add_labels", List.of("gpu")));
    assertEquals("step 100: loss 1.92\nstep 200: loss 1.41", updated.get("notes"));
    assertEquals(List.of("gpu", "pipeline", "sft"), updated.get("labels"));
    assertEquals(List.of(), ids(call("beads_ready", Map.of())));

    Map<String, Object> closed = call("bead_close", Map.of("id", runId, "reason", "trained: eval loss 1.23"));
    assertEquals("closed", closed.get("status"));
    assertEquals("trained: eval loss 1.23", closed.get("close_reason"));
    assertEquals(closed, call("bead_show", Map.of("id", runId)));

    assertEquals(List.of(), ids(call("beads_list", Map.of())));
    Map<String, Object> all = call("beads_list", Map.of("status", "all", "label", "pipeline", "limit", 1));
    assertEquals(1, all.get("count"));
    assertEquals(true, all.get("truncated"));
    assertEquals(List.of(runId), ids(call("beads_list", Map.of("status", "closed", "type", "task", "label", "sft"))));
  }

  @Test
  void childrenOfAnEpic() throws Exception {
    String epic = (String) call("bead_create", Map.of("title", "Pipeline", "type", "epic")).get("id");
    Map<String, Object> child = call("bead_create", Map.of("title", "Train", "parent", epic));
    assertEquals(epic + ".1", child.get("id"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDependencyAddedLaterBlocksUntilClosed() throws Exception {
    String data = (String) call("bead_create", Map.of("title", "Data")).get("id");
    String run = (String) call("bead_create", Map.of("title", "Run")).get("id");
    Map<String, Object> linked = call("bead_dep_add", Map.of("from", run, "to", data));
    assertEquals(run, linked.get("id"));
    assertEquals(List.of(Map.of("issue_id", run, "depends_on_id", data, "type", "blocks", "created_at",
        ((List<Map<String, Object>>) linked.get("dependencies")).get(0).get("created_at"))), linked.get("dependencies"));
    assertEquals(List.of(data), ids(call("beads_ready", Map.of())));
    assertEquals(linked, call("bead_dep_add", Map.of("from", run, "to", data, "type", "blocks")), "idempotent");

    call("bead_dep_add", Map.of("from", run, "to", data, "type", "related"));
    assertEquals(2, ((List<?>) call("bead_show", Map.of("id", run)).get("dependencies")).size());
    assertFalse(accepts("bead_dep_add", Map.of("from", run, "to", data, "type", "waits-for")));
    assertFalse(accepts("bead_dep_add", Map.of("from", run)));
    assertThrows(IllegalArgumentException.class, () -> call("bead_dep_add", Map.of("from", run, "to", run)));
    ToolException unknown = assertThrows(ToolException.class, () -> call("bead_dep_add", Map.of("from", run, "to", "x-1")));
    assertTrue(unknown.getMessage().contains("no bead x-1"), unknown.getMessage());
  }

  @Test
  void mistakesGetMessagesThatSayWhatToDo() throws Exception {
    assertFalse(accepts("bead_update", Map.of("id", "x-1")), "an update without a change");
    assertFalse(accepts("bead_update", Map.of("id", "x-1", "status", "closed")));
    assertFalse(accepts("bead_create", Map.of("title", "t", "priority", 5)));
    assertFalse(accepts("bead_create", Map.of("title", "t", "labels", List.of("a,b"))));
    assertFalse(accepts("bead_show", Map.of("id", "--all")));
    assertFalse(accepts("beads_list", Map.of("status", "done")));

    ToolException missing = assertThrows(ToolException.class, () -> call("bead_show", Map.of("id", "x-1")));
    assertTrue(missing.getMessage().contains("no bead x-1") && missing.getMessage().contains("beads_list"), missing.getMessage());

    String data = (String) call("bead_create", Map.of("title", "Data")).get("id");
    String run = (String) call("bead_create", Map.of("title", "Run", "depends_on", List.of(data))).get("id");
    ToolException blocked = assertThrows(ToolException.class, () -> call("bead_close", Map.of("id", run)));
    assertTrue(blocked.getMessage().contains("close those first"), blocked.getMessage());
  }
}
