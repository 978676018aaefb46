package io.tskotel.exporter.internal.rowbinary;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decodes ClickHouse's {@code RowBinaryWithNamesAndTypes} output into a {@link QueryResult}: a header of
 * column names and type names, then rows until the input ends. Every type the OpenTelemetry schema and our
 * queries use is decoded to a plain Java value (see {@link QueryResult}); any other type is a clear
 * permanent error rather than misread bytes.
 */
public final class RowBinaryReader {
  private static final Pattern NAMED_ELEMENT =
      Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*|`(?:[^`\\\\]|\\\\.)*`)\\s+(\\S.*)$", Pattern.DOTALL);
  private static final Pattern ENUM_ENTRY =
      Pattern.compile("^'((?:[^'\\\\]|\\\\.)*)'\\s*=\\s*(-?\\d+)$", Pattern.DOTALL);
  private static final int DECODER_CACHE_LIMIT = 1024;
  private static final Map<String, Decoder> decoders = new ConcurrentHashMap<>();

  private RowBinaryReader() {}

  /** Decodes a whole result held in {@code bytes}. */
  public static QueryResult read(byte[] bytes) throws StoreException {
    return read(ByteBuffer.wrap(bytes));
  }

  /** Decodes a whole result from the buffer's position to its limit. */
  public static QueryResult read(ByteBuffer buffer) throws StoreException {
    ByteBuffer in = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    try {
      int columns = (int) readVarUInt(in);
      List<String> names = new ArrayList<>(columns);
      for (int i = 0; i < columns; i++) {
        names.add(readString(in));
      }
      List<String> types = new ArrayList<>(columns);
      Decoder[] columnDecoders = new Decoder[columns];
      for (int i = 0; i < columns; i++) {
        String type = readString(in);
        types.add(type);
        columnDecoders[i] = decoder(type);
      }
      List<List<Object>> rows = new ArrayList<>();
      while (in.hasRemaining()) {
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = columnDecoders[i].read(in);
        }
        rows.add(Collections.unmodifiableList(Arrays.asList(row)));
      }
      return new QueryResult(names, types, rows);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw StoreException.permanent(
          "malformed RowBinaryWithNamesAndTypes result at byte " + in.position() + ": " + e, e);
    }
  }

  /** The decoder for one ClickHouse type name, e.g. {@code Map(LowCardinality(String), String)}. */
  static Decoder decoder(String type) throws StoreException {
    Decoder cached = decoders.get(type);
    if (cached != null) {
      return cached;
    }
    Decoder built = parse(type.strip());
    if (decoders.size() < DECODER_CACHE_LIMIT) {
      decoders.put(type, built);
    }
    return built;
  }

  private static Decoder parse(String type) throws StoreException {
    int open = type.indexOf('(');
    String name = open < 0 ? type : type.substring(0, open).strip();
    List<String> args = open < 0 ? List.of() : splitArgs(type, open);
    switch (name) {
      case "Int8":
        return in -> (long) in.get();
      case "Int16":
        return in -> (long) in.getShort();
      case "Int32":
        return in -> (long) in.getInt();
      case "Int64":
        return in -> in.getLong();
      case "UInt8":
        return in -> (long) (in.get() & 0xFF);
      case "UInt16":
        return in -> (long) (in.getShort() & 0xFFFF);
      case "UInt32":
        return in -> in.getInt() & 0xFFFF_FFFFL;
      case "UInt64":
        return in -> {
          long v = in.getLong();
          return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
        };
      case "Int128":
        return in -> readBigInteger(in, 16, true);
      case "UInt128":
        return in -> readBigInteger(in, 16, false);
      case "Int256":
        return in -> readBigInteger(in, 32, true);
      case "UInt256":
        return in -> readBigInteger(in, 32, false);
      case "Float32":
        return in -> (double) in.getFloat();
      case "Float64":
        return in -> in.getDouble();
      case "Bool":
        return in -> in.get() != 0;
      case "String":
        return RowBinaryReader::readString;
      case "FixedString":
        {
          int n = intArg(type, args, 0);
          return in -> readUtf8(in, n);
        }
      case "UUID":
        return in -> {
          long high = in.getLong();
          long low = in.getLong();
          return new UUID(high, low);
        };
      case "Date":
        return in -> LocalDate.ofEpochDay(in.getShort() & 0xFFFF);
      case "Date32":
        return in -> LocalDate.ofEpochDay(in.getInt());
      case "DateTime":
        return in -> Instant.ofEpochSecond(in.getInt() & 0xFFFF_FFFFL);
      case "DateTime64":
        return dateTime64(type, intArg(type, args, 0));
      case "Decimal":
        return decimal(type, intArg(type, args, 0), intArg(type, args, 1));
      case "Decimal32":
        return decimal(type, 9, intArg(type, args, 0));
      case "Decimal64":
        return decimal(type, 18, intArg(type, args, 0));
      case "Decimal128":
        return decimal(type, 38, intArg(type, args, 0));
      case "Decimal256":
        return decimal(type, 76, intArg(type, args, 0));
      case "Enum8":
        {
          Map<Integer, String> names = enumNames(type, args);
          return in -> enumName(names, in.get());
        }
      case "Enum16":
        {
          Map<Integer, String> names = enumNames(type, args);
          return in -> enumName(names, in.getShort());
        }
      case "Nothing":
        return in -> null;
      case "Nullable":
        {
          Decoder inner = decoder(singleArg(type, args));
          return in -> in.get() != 0 ? null : inner.read(in);
        }
      case "LowCardinality":
        // RowBinary carries LowCardinality(T) exactly as T.
        return decoder(singleArg(type, args));
      case "SimpleAggregateFunction":
        if (args.size() != 2) {
          throw unsupported(type);
        }
        return decoder(args.get(1));
      case "Array":
        return arrayOf(decoder(singleArg(type, args)));
      case "Map":
        {
          if (args.size() != 2) {
            throw unsupported(type);
          }
          Decoder key = decoder(args.get(0));
          Decoder value = decoder(args.get(1));
          return in -> {
            int n = readLength(in);
            Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
              Object k = key.read(in);
              map.put(k, value.read(in));
            }
            return Collections.unmodifiableMap(map);
          };
        }
      case "Tuple":
        return tuple(type, args);
      case "Nested":
        // Outside a table, Nested(a T, b U) is Array(Tuple(a T, b U)).
        return arrayOf(tuple(type, args));
      default:
        throw unsupported(type);
    }
  }

  private static Decoder arrayOf(Decoder element) {
    return in -> {
      int n = readLength(in);
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(element.read(in));
      }
      return Collections.unmodifiableList(list);
    };
  }

  private static Decoder tuple(String type, List<String> args) throws StoreException {
    if (args.isEmpty()) {
      throw unsupported(type);
    }
    Decoder[] elements = new Decoder[args.size()];
    for (int i = 0; i < elements.length; i++) {
      Matcher named = NAMED_ELEMENT.matcher(args.get(i));
      elements[i] = decoder(named.matches() ? named.group(2) : args.get(i));
    }
    return in -> {
      Object[] values = new Object[elements.length];
      for (int i = 0; i < elements.length; i++) {
        values[i] = elements[i].read(in);
      }
      return Collections.unmodifiableList(Arrays.asList(values));
    };
  }

  private static Decoder dateTime64(String type, int precision) throws StoreException {
    if (precision < 0 || precision > 9) {
      throw unsupported(type);
    }
    long ticksPerSecond = POWERS_OF_TEN[precision];
    long nanosPerTick = POWERS_OF_TEN[9 - precision];
    return in -> {
      long ticks = in.getLong();
      return Instant.ofEpochSecond(
          Math.floorDiv(ticks, ticksPerSecond), Math.floorMod(ticks, ticksPerSecond) * nanosPerTick);
    };
  }

  private static Decoder decimal(String type, int precision, int scale) throws StoreException {
    if (precision < 1 || precision > 76 || scale < 0 || scale > precision) {
      throw unsupported(type);
    }
    if (precision <= 9) {
      return in -> BigDecimal.valueOf(in.getInt(), scale);
    }
    if (precision <= 18) {
      return in -> BigDecimal.valueOf(in.getLong(), scale);
    }
    int bytes = precision <= 38 ? 16 : 32;
    return in -> new BigDecimal(readBigInteger(in, bytes, true), scale);
  }

  private static Map<Integer, String> enumNames(String type, List<String> args) throws StoreException {
    Map<Integer, String> names = new HashMap<>();
    for (String arg : args) {
      Matcher m = ENUM_ENTRY.matcher(arg);
      if (!m.matches()) {
        throw unsupported(type);
      }
      names.put(Integer.parseInt(m.group(2)), unescape(m.group(1)));
    }
    return names;
  }

  private static String enumName(Map<Integer, String> names, int value) {
    String name = names.get(value);
    if (name == null) {
      throw new IllegalArgumentException("enum value " + value + " has no name");
    }
    return name;
  }

  private static String unescape(String quoted) {
    StringBuilder out = new StringBuilder(quoted.length());
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length()) {
        c = quoted.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Splits the top-level, comma-separated arguments of {@code type}'s outer parentheses. */
  private static List<String> splitArgs(String type, int open) throws StoreException {
    if (!type.endsWith(")")) {
      throw unsupported(type);
    }
    List<String> args = new ArrayList<>();
    int depth = 0;
    char quote = 0;
    int start = open + 1;
    int end = type.length() - 1;
    for (int i = start; i < end; i++) {
      char c = type.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '`') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(type.substring(start, i).strip());
        start = i + 1;
      }
    }
    if (depth != 0 || quote != 0) {
      throw unsupported(type);
    }
    String last = type.substring(start, end).strip();
    if (!last.isEmpty() || !args.isEmpty()) {
      args.add(last);
    }
    return args;
  }

  private static String singleArg(String type, List<String> args) throws StoreException {
    if (args.size() != 1) {
      throw unsupported(type);
    }
    return args.get(0);
  }

  private static int intArg(String type, List<String> args, int index) throws StoreException {
    if (args.size() <= index) {
      throw unsupported(type);
    }
    try {
      return Integer.parseInt(args.get(index));
    } catch (NumberFormatException e) {
      throw unsupported(type);
    }
  }

  private static StoreException unsupported(String type) {
    return StoreException.permanent("unsupported ClickHouse type in a result: " + type);
  }

  private static long readVarUInt(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  private static int readLength(ByteBuffer in) {
    long n = readVarUInt(in);
    // Every element takes at least one byte, so a count beyond the remaining bytes is corrupt input.
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("length " + Long.toUnsignedString(n) + " is out of range");
    }
    return (int) n;
  }

  private static String readString(ByteBuffer in) {
    long n = readVarUInt(in);
    if (n < 0 || n > in.remaining()) {
      throw new BufferUnderflowException();
    }
    return readUtf8(in, (int) n);
  }

  private static String readUtf8(ByteBuffer in, int n) {
    if (in.hasArray()) {
      int at = in.arrayOffset() + in.position();
      if (n > in.remaining()) {
        throw new BufferUnderflowException();
      }
      in.position(in.position() + n);
      return new String(in.array(), at, n, StandardCharsets.UTF_8);
    }
    byte[] bytes = new byte[n];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A little-endian two's-complement (or unsigned) integer of {@code size} bytes. */
  private static BigInteger readBigInteger(ByteBuffer in, int size, boolean signed) {
    byte[] bigEndian = new byte[size];
    for (int i = size - 1; i >= 0; i--) {
      bigEndian[i] = in.get();
    }
    return signed ? new BigInteger(bigEndian) : new BigInteger(1, bigEndian);
  }

  private static final long[] POWERS_OF_TEN = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
  };

  /** Reads one value of one type. */
  @FunctionalInterface
  interface Decoder {
    @Nullable Object read(ByteBuffer in);
  }
}
