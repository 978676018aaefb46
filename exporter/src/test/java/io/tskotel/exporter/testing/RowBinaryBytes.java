package io.tskotel.exporter.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Hand-encodes RowBinary bytes for tests and benchmarks that must not depend on the store's writer: each
 * method appends one value exactly as ClickHouse's RowBinary format lays it out (little-endian, strings
 * and collections prefixed with an unsigned LEB128 length).
 */
public final class RowBinaryBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

  public RowBinaryBytes varUInt(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  public RowBinaryBytes uint8(int value) {
    out.write(value);
    return this;
  }

  public RowBinaryBytes int16(int value) {
    scratch.clear();
    scratch.putShort((short) value);
    out.write(scratch.array(), 0, 2);
    return this;
  }

  public RowBinaryBytes int32(int value) {
    scratch.clear();
    scratch.putInt(value);
    out.write(scratch.array(), 0, 4);
    return this;
  }

  public RowBinaryBytes int64(long value) {
    scratch.clear();
    scratch.putLong(value);
    out.write(scratch.array(), 0, 8);
    return this;
  }

  public RowBinaryBytes float64(double value) {
    return int64(Double.doubleToRawLongBits(value));
  }

  public RowBinaryBytes string(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A String column's bytes: length, then the bytes. */
  public RowBinaryBytes bytes(byte[] value) {
    varUInt(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  /** Raw bytes with no length (FixedString, or deliberately broken input). */
  public RowBinaryBytes raw(byte[] value) {
    out.write(value, 0, value.length);
    return this;
  }

  /** DateTime64(9): nanoseconds since the epoch. */
  public RowBinaryBytes dateTime64Nanos(Instant value) {
    return int64(Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000_000L), value.getNano()));
  }

  /** Map(String, String) with the entries in the order given: key, value, key, value... */
  public RowBinaryBytes stringMap(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("keyValues: " + Arrays.toString(keyValues) + " (expected: pairs)");
    }
    varUInt(keyValues.length / 2);
    for (String s : keyValues) {
      string(s);
    }
    return this;
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
