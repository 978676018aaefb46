package io.tskotel.tsk.internal;

import io.tskotel.tsk.Instrument;
import io.tskotel.tsk.InstrumentKind;
import java.math.BigInteger;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates {@code @name(args)} while parsing. Errors go to the diagnostics and the result is null; the
 * parse fails as a whole, so a null never escapes.
 */
final class Operators {
  static final List<String> KNOWN = List.of("date", "env", "metric");

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  // OpenTelemetry's instrument name syntax.
  private static final Pattern INSTRUMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]{0,254}");

  private final Map<String, String> environment;
  private final Clock clock;
  private final Diagnostics diagnostics;

  Operators(Map<String, String> environment, Clock clock, Diagnostics diagnostics) {
    this.environment = environment;
    this.clock = clock;
    this.diagnostics = diagnostics;
  }

  /**
   * Applies the operator token {@code at} to {@code args}.
   *
   * @param path dotted path of the key whose whole value this is, or null elsewhere
   */
  @Nullable Object apply(Token at, List<Arg> args, @Nullable String path) {
    String name = String.valueOf(at.value());
    switch (name) {
      case "env":
        return env(at, args);
      case "metric":
        return metric(at, args, path);
      case "date":
        return date(at, args);
      default:
        diagnostics.error(
            at,
            "unknown operator @" + name + " (known: "
                + KNOWN.stream().map(k -> "@" + k).collect(Collectors.joining(", ")) + ")");
        return null;
    }
  }

  private @Nullable Object env(Token at, List<Arg> args) {
    if (args.isEmpty() || args.size() > 2) {
      diagnostics.error(at, "@env takes 1 or 2 arguments (name[, default]), got " + args.size());
      return null;
    }
    Arg nameArg = args.get(0);
    if (!(nameArg.value() instanceof String) || ((String) nameArg.value()).isEmpty()) {
      diagnostics.error(nameArg.token(), "@env: the variable name must be a non-empty string");
      return null;
    }
    String variable = (String) nameArg.value();
    String raw = environment.get(variable);
    if (args.size() == 1) {
      if (raw == null) {
        diagnostics.error(
            at,
            "environment variable " + variable + " is not set and @env(\"" + variable
                + "\") has no default");
      }
      return raw;
    }
    Arg defaultArg = args.get(1);
    Object defaultValue = defaultArg.value();
    if (defaultValue != null
        && !(defaultValue instanceof String
            || defaultValue instanceof Integer
            || defaultValue instanceof Long
            || defaultValue instanceof Double
            || defaultValue instanceof Boolean)) {
      diagnostics.error(
          defaultArg.token(), "@env: the default must be a string, a number, a boolean or null");
      return null;
    }
    if (raw == null) {
      return defaultValue;
    }
    return convert(at, variable, raw, defaultValue);
  }

  /**
   * Converts the variable's text to the default's type. The error names the variable but never echoes its
   * value: environment variables carry secrets.
   */
  private @Nullable Object convert(
      Token at, String variable, String raw, @Nullable Object defaultValue) {
    String text = raw.trim();
    if (defaultValue instanceof Integer || defaultValue instanceof Long) {
      if (INTEGER.matcher(text).matches()) {
        BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        if (value.bitLength() < 32) {
          return value.intValue();
        }
        if (value.bitLength() < 64) {
          return value.longValue();
        }
      }
      return conversionError(at, variable, "an integer", defaultValue);
    }
    if (defaultValue instanceof Double) {
      if (NUMBER.matcher(text).matches()) {
        double value = Double.parseDouble(text);
        if (!Double.isInfinite(value)) {
          return value;
        }
      }
      return conversionError(at, variable, "a number", defaultValue);
    }
    if (defaultValue instanceof Boolean) {
      switch (text.toLowerCase(Locale.ROOT)) {
        case "true":
        case "yes":
        case "on":
        case "1":
          return Boolean.TRUE;
        case "false":
        case "no":
        case "off":
        case "0":
          return Boolean.FALSE;
        default:
          return conversionError(at, variable, "a boolean (true/false, yes/no, on/off, 1/0)", defaultValue);
      }
    }
    return raw;
  }

  private @Nullable Object conversionError(
      Token at, String variable, String expected, @Nullable Object defaultValue) {
    diagnostics.error(
        at,
        "environment variable " + variable + " is not " + expected + " (the default "
            + Printer.literal(defaultValue) + " sets the type)");
    return null;
  }

  private @Nullable Object metric(Token at, List<Arg> args, @Nullable String path) {
    if (path == null) {
      diagnostics.error(
          at,
          "@metric declares an instrument: it must be the whole value of a key"
              + " (not inside an array, an operator argument or a $variable)");
      return null;
    }
    if (args.size() < 2 || args.size() > 4) {
      diagnostics.error(
          at, "@metric takes 2 to 4 arguments (kind, name[, unit[, description]]), got " + args.size());
      return null;
    }
    String[] labels = {"kind", "name", "unit", "description"};
    String[] values = new String[] {"", "", "", ""};
    boolean ok = true;
    for (int i = 0; i < args.size(); i++) {
      Object value = args.get(i).value();
      if (value instanceof String) {
        values[i] = (String) value;
      } else {
        diagnostics.error(args.get(i).token(), "@metric: the " + labels[i] + " must be a string");
        ok = false;
      }
    }
    if (!ok) {
      return null;
    }
    InstrumentKind kind = InstrumentKind.fromTskName(values[0]);
    if (kind == null) {
      diagnostics.error(
          args.get(0).token(),
          "unknown instrument kind \"" + values[0] + "\" (known: "
              + Arrays.stream(InstrumentKind.values())
                  .map(InstrumentKind::tskName)
                  .collect(Collectors.joining(", "))
              + ")");
      return null;
    }
    if (!INSTRUMENT_NAME.matcher(values[1]).matches()) {
      diagnostics.error(
          args.get(1).token(),
          "invalid instrument name \"" + values[1] + "\" (expected: a letter, then up to 254 letters,"
              + " digits, '_', '.', '-' or '/')");
      return null;
    }
    int dot = path.lastIndexOf('.');
    String section = dot < 0 ? "" : path.substring(0, dot);
    String key = path.substring(dot + 1);
    return new Instrument(section, key, kind, values[1], values[2], values[3]);
  }

  private @Nullable Object date(Token at, List<Arg> args) {
    ZonedDateTime now = ZonedDateTime.now(clock);
    if (args.isEmpty()) {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now);
    }
    if (args.size() > 1) {
      diagnostics.error(at, "@date takes at most 1 argument (a format), got " + args.size());
      return null;
    }
    Arg format = args.get(0);
    if (!(format.value() instanceof String)) {
      diagnostics.error(format.token(), "@date: the format must be a string such as \"yyyy-MM-dd\"");
      return null;
    }
    try {
      return DateTimeFormatter.ofPattern((String) format.value(), Locale.ROOT).format(now);
    } catch (IllegalArgumentException | DateTimeException e) {
      diagnostics.error(
          format.token(), "invalid @date format \"" + format.value() + "\": " + e.getMessage());
      return null;
    }
  }
}
