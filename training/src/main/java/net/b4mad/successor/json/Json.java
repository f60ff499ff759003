package net.b4mad.successor.json;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the project (Jackson 3, as the MCP SDK uses). Records map to snake_case, the naming of
 * Hugging Face config files and of MCP tool arguments and results alike.
 */
public final class Json {

  public static final JsonMapper MAPPER =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  /** A record or bean as a JSON object map, as structured tool content expects. */
  public static Map<String, Object> toMap(Object value) {
    return MAPPER.convertValue(value, MAP);
  }

  public static String write(Object value) {
    return MAPPER.writeValueAsString(value);
  }

  public static String writePretty(Object value) {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }
}
