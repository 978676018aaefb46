package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireReader.FIXED64;
import static io.tskotel.exporter.internal.encode.WireReader.LEN;
import static io.tskotel.exporter.internal.encode.WireReader.UNSURE;
import static io.tskotel.exporter.internal.encode.WireReader.VARINT;
import static io.tskotel.exporter.internal.encode.WireReader.length;
import static io.tskotel.exporter.internal.encode.WireReader.offset;
import static io.tskotel.exporter.internal.encode.WireReader.tag;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@link Attributes} and {@link AnyValues} on the wire: a list of serialized {@code KeyValue}s becomes the
 * same sorted, de-duplicated {@code Map(LowCardinality(String), String)} bytes, keys and string values copied
 * from the request without decoding. Arrays and key-value lists (rare in attributes) are parsed into their
 * generated objects and rendered by {@link AnyValues}, so their JSON text is the object path's by
 * construction. Not thread-safe: one per encoding thread.
 */
final class WireMaps {
  /** protobuf-java's default nesting limit, which a value parsed on its own must keep counting from its depth. */
  private static final int RECURSION_LIMIT = 100;
  private static final int MAX_REMEMBERED = 64;
  private static final byte[] SERVICE_NAME = "service.name".getBytes(StandardCharsets.UTF_8);

  private final WireReader kv = new WireReader();
  private final WireReader value = new WireReader();
  private final RowBinaryWriter dropped = new RowBinaryWriter(64);
  // One map's entries, in input order: key ranges, value ranges (-1: no value), the sorted order.
  private long[] keys = new long[32];
  private long[] values = new long[32];
  private int[] order = new int[32];
  // The last key sequence of each length and its sorted order, as Attributes.KeyOrder remembers them.
  private final byte[][][] rememberedKeys = new byte[MAX_REMEMBERED + 1][][];
  private final int[][] rememberedOrders = new int[MAX_REMEMBERED + 1][];
  private final boolean[] rememberedDistinct = new boolean[MAX_REMEMBERED + 1];
  /** Set by {@link #sort}: no key appears twice in the sorted entries (no neighbours to compare). */
  private boolean distinct;

  /**
   * Writes the {@code KeyValue}s at {@code kvs[0..n)} (ranges in {@code buf}) as a sorted map; a repeated key
   * keeps its first value. {@code depth} is the nesting of the {@code KeyValue} messages in the request.
   */
  void writeMap(RowBinaryWriter w, byte[] buf, long[] kvs, int n, int depth, EncodeStats stats) {
    if (n > keys.length) {
      int size = Math.max(n, keys.length * 2);
      keys = new long[size];
      values = new long[size];
      order = new int[size];
    }
    for (int i = 0; i < n; i++) {
      readKeyValue(buf, kvs[i], i);
    }
    sort(buf, n);
    int unique = n;
    if (!distinct) {
      for (int i = 1; i < n; i++) {
        if (sameKey(buf, order[i - 1], order[i])) {
          unique--;
        }
      }
    }
    w.writeSize(unique);
    for (int i = 0; i < n; i++) {
      int k = order[i];
      if (!distinct && i > 0 && sameKey(buf, order[i - 1], k)) {
        stats.duplicateAttributeKeys.increment();
        // Not stored, but the parser reads it (its strings' UTF-8, its nesting): so is it here.
        dropped.reset();
        writeValue(dropped, buf, values[k], depth + 1);
        continue;
      }
      w.writeBytes(buf, offset(keys[k]), length(keys[k]));
      writeValue(w, buf, values[k], depth + 1);
    }
  }

  /**
   * Reads one {@code KeyValue}. Its key's UTF-8 is checked later, in {@link #sort}, and only when the key
   * sequence is not the one remembered (whose keys were checked): keys repeat span after span.
   */
  private void readKeyValue(byte[] buf, long range, int i) {
    long key = 0;
    long val = -1;
    kv.at(buf, range);
    while (kv.more()) {
      int tag = kv.tag();
      if (tag == tag(1, LEN)) {
        if (key != 0) {
          checkUtf8(buf, key); // a key sent twice: the parser checks the one that loses too
        }
        key = kv.lengthDelimited();
      } else if (tag == tag(2, LEN)) {
        if (val != -1) {
          throw UNSURE; // a message field twice merges: left to the generated parser
        }
        val = kv.lengthDelimited();
      } else {
        kv.skip(tag);
      }
    }
    keys[i] = key;
    values[i] = val;
  }

  private boolean sameKey(byte[] buf, int a, int b) {
    return compareKeys(buf, a, b) == 0;
  }

  /** Unsigned byte order of UTF-8, which is code point order: {@link Attributes#compareCodePoints}'s. */
  private int compareKeys(byte[] buf, int a, int b) {
    long ka = keys[a];
    long kb = keys[b];
    return Arrays.compareUnsigned(buf, offset(ka), offset(ka) + length(ka), buf, offset(kb), offset(kb) + length(kb));
  }

  private static void checkUtf8(byte[] buf, long range) {
    if (!WireReader.Utf8.isValid(buf, offset(range), length(range))) {
      throw UNSURE;
    }
  }

  /**
   * Fills {@code order} with a stable sort of the entries by key, after checking the keys' UTF-8: both only
   * when the key sequence is not the one this thread remembers for its length. Sets {@link #distinct}: the
   * remembered sequence's answer, the very same keys.
   */
  private void sort(byte[] buf, int n) {
    boolean remembered = n <= MAX_REMEMBERED && rememberedKeys[n] != null && sameKeysAsRemembered(buf, n);
    if (remembered) {
      System.arraycopy(rememberedOrders[n], 0, order, 0, n);
      distinct = rememberedDistinct[n];
      return;
    }
    for (int i = 0; i < n; i++) {
      checkUtf8(buf, keys[i]);
      order[i] = i;
    }
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = compareKeys(buf, i - 1, i) < 0;
    }
    if (!sorted) {
      // Insertion sort: attribute lists are short, and it is stable (the first of equal keys stays first).
      for (int i = 1; i < n; i++) {
        int x = order[i];
        int j = i - 1;
        while (j >= 0 && compareKeys(buf, order[j], x) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = x;
      }
    }
    distinct = true;
    for (int i = 1; i < n && distinct; i++) {
      distinct = !sameKey(buf, order[i - 1], order[i]);
    }
    if (n > 0 && n <= MAX_REMEMBERED) {
      rememberedDistinct[n] = distinct;
      byte[][] k = new byte[n][];
      for (int i = 0; i < n; i++) {
        k[i] = Arrays.copyOfRange(buf, offset(keys[i]), offset(keys[i]) + length(keys[i]));
      }
      rememberedKeys[n] = k;
      rememberedOrders[n] = Arrays.copyOf(order, n);
    }
  }

  private boolean sameKeysAsRemembered(byte[] buf, int n) {
    byte[][] k = rememberedKeys[n];
    for (int i = 0; i < n; i++) {
      int off = offset(keys[i]);
      if (!Arrays.equals(k[i], 0, k[i].length, buf, off, off + length(keys[i]))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The {@code service.name} value of these resource attributes (the first such key in input order, as
   * {@link Otlp#serviceName} finds it) as an encoded String, or {@code unknown_service}.
   */
  byte[] serviceName(byte[] buf, long[] kvs, int n, int depth, EncodeStats stats) {
    for (int i = 0; i < n; i++) {
      readKeyValue(buf, kvs[i], 0);
      long key = keys[0];
      if (Arrays.equals(buf, offset(key), offset(key) + length(key), SERVICE_NAME, 0, SERVICE_NAME.length)) {
        RowBinaryWriter name = new RowBinaryWriter(64);
        writeValue(name, buf, values[0], depth + 1);
        if (name.size() > 1) {
          return name.toByteArray();
        }
        break;
      }
    }
    stats.missingServiceName.increment();
    return new RowBinaryWriter(32).writeString(Otlp.UNKNOWN_SERVICE).toByteArray();
  }

  /**
   * Writes the serialized {@code AnyValue} at {@code range} (-1: none) as {@link AnyValues#asString} renders
   * it; {@code depth} is its nesting in the request.
   */
  void writeValue(RowBinaryWriter w, byte[] buf, long range, int depth) {
    if (range == -1) {
      w.writeVarUInt(0);
      return;
    }
    // A oneof: the last value field wins (protobuf's rule); each string is checked as the parser checks it.
    int kind = 0;
    long scalar = 0;
    boolean composite = false;
    value.at(buf, range);
    while (value.more()) {
      int tag = value.tag();
      switch (tag) {
        case 1 << 3 | LEN, 7 << 3 | LEN -> {
          scalar = tag == (1 << 3 | LEN) ? value.string() : value.lengthDelimited();
          kind = tag >>> 3;
        }
        case 2 << 3 | VARINT, 3 << 3 | VARINT, 8 << 3 | VARINT -> {
          scalar = value.varint();
          kind = tag >>> 3;
        }
        case 4 << 3 | FIXED64 -> {
          scalar = value.fixed64();
          kind = 4;
        }
        case 5 << 3 | LEN, 6 << 3 | LEN -> {
          value.lengthDelimited();
          composite = true;
          kind = tag >>> 3;
        }
        default -> value.skip(tag);
      }
    }
    if (composite) {
      w.writeString(AnyValues.asString(parse(buf, range, depth)));
      return;
    }
    switch (kind) {
      case 1 -> w.writeBytes(buf, offset(scalar), length(scalar));
      case 2 -> w.writeString(scalar != 0 ? "true" : "false");
      case 3 -> w.writeDecimalString(scalar);
      case 4 -> w.writeString(AnyValues.formatDouble(Double.longBitsToDouble(scalar)));
      case 7 -> w.writeString(Base64.getEncoder().encodeToString(
          Arrays.copyOfRange(buf, offset(scalar), offset(scalar) + length(scalar))));
      default -> w.writeVarUInt(0); // not set, or a profiles-only string index
    }
  }

  /** An array or key-value list value, parsed as the whole request's parse would reach it. */
  private static AnyValue parse(byte[] buf, long range, int depth) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(buf, offset(range), length(range));
      in.setRecursionLimit(RECURSION_LIMIT - depth);
      AnyValue v = AnyValue.parser().parseFrom(in);
      in.checkLastTagWas(0);
      return v;
    } catch (InvalidProtocolBufferException e) {
      throw UNSURE;
    }
  }
}
