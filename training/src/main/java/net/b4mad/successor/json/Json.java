package net.b4mad.successor.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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

  /**
   * SHA-256 (hex) of a value's JSON with object keys sorted at every level, so that two documents that differ
   * only in key order hash the same.
   */
  public static String contentHash(Object value) {
    JsonNode tree = MAPPER.valueToTree(value);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(MAPPER.writeValueAsBytes(sorted(tree))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
      ObjectNode copy = MAPPER.createObjectNode();
      fields.forEach((key, child) -> copy.set(key, sorted(child)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = MAPPER.createArrayNode();
      node.forEach(child -> copy.add(sorted(child)));
      return copy;
    }
    return node;
  }

  /**
   * Reads a JSON file. A missing or unreadable file is an {@link UncheckedIOException}, bad JSON an
   * {@link IllegalArgumentException}; both messages name the file.
   */
  public static JsonNode readTree(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no such file: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e, e);
    }
    try {
      return MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static String writePretty(Object value) {
    return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
  }
}
