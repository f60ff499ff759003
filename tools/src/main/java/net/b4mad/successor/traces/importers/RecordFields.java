package net.b4mad.successor.traces.importers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import net.b4mad.successor.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of the fields of a conversation record, whose errors name the field and what was there instead;
 * the importers prefix them with where the record is, so a skipped record's reason says what to fix.
 */
final class RecordFields {

  private RecordFields() {}

  /** The string field, or null when it is absent or JSON null. */
  static String optionalString(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new IllegalArgumentException("'" + field + "' must be a string, got " + describe(value));
    }
    return value.stringValue();
  }

  static String requiredString(JsonNode object, String field) {
    String value = optionalString(object, field);
    if (value == null) {
      throw new IllegalArgumentException("'" + field + "' is missing");
    }
    return value;
  }

  /** The array field, or an empty array when it is absent or JSON null. */
  static JsonNode optionalArray(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Json.MAPPER.createArrayNode();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array, got " + describe(value));
    }
    return value;
  }

  static JsonNode requiredArray(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array, got " + describe(value));
    }
    return value;
  }

  static void requireObject(JsonNode record, String what) {
    if (record == null || !record.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object, got " + describe(record));
    }
  }

  /**
   * Tool call arguments as JSON: a string that holds a JSON object (the OpenAI wire form) is parsed; one that
   * does not is kept as the string, so the call is still there and validation can report it. An empty string
   * is a call without arguments.
   */
  static JsonNode arguments(JsonNode arguments) {
    if (arguments == null || arguments.isNull()) {
      return Json.MAPPER.createObjectNode();
    }
    if (!arguments.isString()) {
      return arguments;
    }
    String text = arguments.stringValue();
    if (text.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode parsed = Json.MAPPER.readTree(text);
      return parsed != null && parsed.isObject() ? parsed : arguments;
    } catch (JacksonException e) {
      return arguments;
    }
  }

  /** An ISO-8601 instant (or epoch seconds); null when absent or unreadable, since timestamps are optional. */
  static Instant instant(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return Instant.ofEpochSecond(value.longValue());
    }
    if (value.isString()) {
      try {
        return OffsetDateTime.parse(value.stringValue()).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  /** A JSON value for an error message: its type and the start of its text. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " "
        + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}
