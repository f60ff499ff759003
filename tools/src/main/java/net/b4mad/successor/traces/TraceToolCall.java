package net.b4mad.successor.traces;

import tools.jackson.databind.JsonNode;

/**
 * One tool call an assistant made. {@code arguments} is the JSON the model wrote: usually an object, a string
 * when the source stored unparsable arguments as text (kept, so validation can report it).
 */
public record TraceToolCall(String id, String name, JsonNode arguments) {}
