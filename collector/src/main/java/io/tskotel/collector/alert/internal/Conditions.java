package io.tskotel.collector.alert.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The small pure parts of a rule: its comparison, its message, an alert's fingerprint. */
public final class Conditions {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.]+)}");

  private Conditions() {}

  /** Whether {@code value comparator threshold} holds; NaN never does. */
  public static boolean holds(String comparator, double value, double threshold) {
    if (Double.isNaN(value)) {
      return false;
    }
    return switch (comparator) {
      case ">" -> value > threshold;
      case ">=" -> value >= threshold;
      case "<" -> value < threshold;
      case "<=" -> value <= threshold;
      case "==" -> value == threshold;
      case "!=" -> value != threshold;
      default -> throw new IllegalArgumentException("comparator: \"" + comparator + "\"");
    };
  }

  /** A number as a person reads it: {@code 91}, {@code 37.5}, {@code 2.35} (at most two decimals). */
  public static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    return BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** The message template with its placeholders filled; unknown labels render empty. */
  public static String render(String template, String rule, String comparator, String severity, double value,
      double threshold, Map<String, String> labels) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String p = m.group(1);
      String v = switch (p) {
        case "rule" -> rule;
        case "value" -> number(value);
        case "threshold" -> number(threshold);
        case "comparator" -> comparator;
        case "severity" -> severity;
        default -> p.startsWith("labels.") ? labels.getOrDefault(p.substring(7), "") : m.group();
      };
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** An alert's identity: the rule and its labels (sorted), hashed to 16 hex digits. */
  public static String fingerprint(String rule, Map<String, String> labels) {
    StringBuilder key = new StringBuilder(rule);
    new TreeMap<>(labels).forEach((k, v) -> key.append('\0').append(k).append('=').append(v));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
