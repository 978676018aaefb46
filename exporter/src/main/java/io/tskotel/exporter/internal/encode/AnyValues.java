package io.tskotel.exporter.internal.encode;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;

/**
 * Turns an OTLP {@link AnyValue} into the string the upstream clickhouseexporter stores (pdata's
 * {@code Value.AsString()}): strings as they are, numbers in ECMAScript form, bytes as base64, arrays and
 * key-value lists as JSON text (object keys sorted, as Go's encoder does). Never throws.
 */
public final class AnyValues {
  private AnyValues() {}

  public static String asString(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue() ? "true" : "false";
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> formatDouble(value.getDoubleValue());
      case BYTES_VALUE -> base64(value.getBytesValue());
      case ARRAY_VALUE -> {
        StringBuilder sb = new StringBuilder();
        appendJsonArray(sb, value.getArrayValue());
        yield sb.toString();
      }
      case KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder();
        appendJsonObject(sb, value.getKvlistValue());
        yield sb.toString();
      }
      // A profiles-only dictionary reference: there is no dictionary here.
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> "";
    };
  }

  /**
   * A double as ECMAScript prints it (Go's pdata does the same): shortest round-trip digits, plain
   * notation for 1e-6 <= |d| < 1e21, else {@code 1.5e+21} / {@code 1e-7}. NaN and infinities, which JSON
   * cannot hold, as {@code NaN}, {@code +Inf}, {@code -Inf}.
   */
  public static String formatDouble(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0" : "0";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    double abs = Math.abs(d);
    if (abs >= 1e-3 && abs < 1e7) {
      // Java prints this range in plain notation with the same shortest digits ECMAScript uses.
      return Double.toString(d);
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (abs >= 1e-6 && abs < 1e21) {
      return bd.toPlainString();
    }
    String digits = bd.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - bd.scale();
    StringBuilder sb = new StringBuilder(24);
    if (d < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
    return sb.toString();
  }

  private static String base64(ByteString bytes) {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static void appendJson(StringBuilder sb, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> appendJsonString(sb, value.getStringValue());
      case BOOL_VALUE -> sb.append(value.getBoolValue());
      case INT_VALUE -> sb.append(value.getIntValue());
      case DOUBLE_VALUE -> {
        double d = value.getDoubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          appendJsonString(sb, formatDouble(d));
        } else {
          sb.append(formatDouble(d));
        }
      }
      case BYTES_VALUE -> appendJsonString(sb, base64(value.getBytesValue()));
      case ARRAY_VALUE -> appendJsonArray(sb, value.getArrayValue());
      case KVLIST_VALUE -> appendJsonObject(sb, value.getKvlistValue());
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> sb.append("null");
    }
  }

  private static void appendJsonArray(StringBuilder sb, ArrayValue array) {
    sb.append('[');
    for (int i = 0; i < array.getValuesCount(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendJson(sb, array.getValues(i));
    }
    sb.append(']');
  }

  private static void appendJsonObject(StringBuilder sb, KeyValueList list) {
    List<KeyValue> sorted = Attributes.sortedUnique(list.getValuesList(), null);
    sb.append('{');
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendJsonString(sb, sorted.get(i).getKey());
      sb.append(':');
      appendJson(sb, sorted.get(i).getValue());
    }
    sb.append('}');
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** A JSON string escaped as Go's encoding/json does (including its HTML-safe escapes). */
  static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
