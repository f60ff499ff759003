package net.b4mad.successor.server;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;

/**
 * The SDK's JSON Schema validator, loaded on the first tool call instead of at start-up: building it loads a
 * few hundred classes, a quarter of the time to the {@code initialize} reply. Our tools' own schemas are
 * checked against the real validator by the test suite rather than at every start.
 */
final class DeferredSchemaValidator implements JsonSchemaValidator {

  private volatile JsonSchemaValidator delegate;

  @Override
  public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
    return delegate().validate(schema, structuredContent);
  }

  @Override
  public ValidationResponse validateSchema(Map<String, Object> schema) {
    return ValidationResponse.asValid(null);
  }

  JsonSchemaValidator delegate() {
    JsonSchemaValidator loaded = delegate;
    if (loaded == null) {
      synchronized (this) {
        loaded = delegate;
        if (loaded == null) {
          loaded = McpJsonDefaults.getSchemaValidator();
          delegate = loaded;
        }
      }
    }
    return loaded;
  }
}
