package net.b4mad.successor.chat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * JSON text exactly as Python's {@code json.dumps(value, ensure_ascii=False)} writes it, which is what the chat
 * template's {@code tojson} filter does in transformers. The model saw this spelling in training, so a token
 * differing here (Jackson writes {@code 1.0E-5} and no spaces after separators) would be a prompt it never saw.
 */
final class PythonJson {

  private PythonJson() {}

  static String dumps(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(JsonNode value, StringBuilder out) {
    if (value.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> entries = value.properties().iterator();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        writeString(entry.getKey(), out);
        out.append(": ");
        write(entry.getValue(), out);
        if (entries.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (value.isArray()) {
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        write(value.get(i), out);
      }
      out.append(']');
    } else if (value.isString()) {
      writeString(value.stringValue(), out);
    } else if (value.isIntegralNumber()) {
      out.append(value.bigIntegerValue());
    } else if (value.isNumber()) {
      // json.loads reads every number with a fraction or exponent as a float (a double).
      out.append(floatRepr(value.doubleValue()));
    } else if (value.isBoolean()) {
      out.append(value.booleanValue() ? "true" : "false");
    } else if (value.isNull()) {
      out.append("null");
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getNodeType());
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in positional
   * notation from 1e-4 up to below 1e16 and in exponent notation ({@code 1e-05}, {@code 1.5e+16}) outside.
   */
  static String floatRepr(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    // Rounding the exact binary value to ever more digits finds the shortest round-tripping decimal, and
    // the nearest one of that length, which is what Python's repr picks. Double.toString in Java 17 is not
    // always shortest, hence not used.
    BigDecimal exact = new BigDecimal(value);
    BigDecimal shortest = exact;
    for (int digits = 1; digits <= 17; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == value) {
        shortest = rounded;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    // value = 0.DIGITS * 10^point
    int point = digits.length() - shortest.scale();
    StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
    if (point <= -4 || point > 16) {
      int exponent = point - 1;
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int magnitude = Math.abs(exponent);
      if (magnitude < 10) {
        out.append('0');
      }
      out.append(magnitude);
    } else if (point <= 0) {
      out.append("0.").append("0".repeat(-point)).append(digits);
    } else if (point >= digits.length()) {
      out.append(digits).append("0".repeat(point - digits.length())).append(".0");
    } else {
      out.append(digits, 0, point).append('.').append(digits, point, digits.length());
    }
    return out.toString();
  }
}
