package io.tskotel.collector.query.internal;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Conversions from the Java values a {@link io.tskotel.exporter.QueryResult} holds. */
public final class Values {
  private Values() {}

  public static double toDouble(@Nullable Object v) {
    return switch (v) {
      case null -> Double.NaN;
      case Number n -> n.doubleValue();
      case Boolean b -> b ? 1 : 0;
      case String s -> parseDouble(s);
      default -> throw new IllegalStateException("not a number: " + v.getClass().getName());
    };
  }

  public static long toLong(@Nullable Object v) {
    return switch (v) {
      case null -> 0;
      case BigInteger b -> b.longValue();
      case Number n -> n.longValue();
      case Boolean b -> b ? 1 : 0;
      case String s -> Long.parseLong(s);
      default -> throw new IllegalStateException("not an integer: " + v.getClass().getName());
    };
  }

  public static String toStr(@Nullable Object v) {
    return v == null ? "" : v.toString();
  }

  public static Instant toInstant(@Nullable Object v) {
    return switch (v) {
      case null -> Instant.EPOCH;
      case Instant i -> i;
      case Number n -> Instant.EPOCH.plusNanos(n.longValue());
      default -> throw new IllegalStateException("not a timestamp: " + v.getClass().getName());
    };
  }

  public static List<Double> toDoubles(@Nullable Object v) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw new IllegalStateException("not an array: " + v.getClass().getName());
    }
    return list.stream().map(Values::toDouble).toList();
  }

  public static Map<String, String> toStringMap(@Nullable Object v) {
    Map<String, String> out = new TreeMap<>();
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, val) -> out.put(toStr(k), toStr(val)));
    }
    return out;
  }

  /** An unmodifiable copy sorted by key (JSON objects with a stable key order). */
  public static Map<String, String> sorted(Map<String, String> m) {
    return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }

  private static double parseDouble(String s) {
    return switch (s) {
      case "nan", "NaN" -> Double.NaN;
      case "inf", "+inf", "Infinity" -> Double.POSITIVE_INFINITY;
      case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(s);
    };
  }
}
