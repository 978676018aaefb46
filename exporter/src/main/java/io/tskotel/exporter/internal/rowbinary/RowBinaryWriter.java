package io.tskotel.exporter.internal.rowbinary;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * Appends values in ClickHouse's RowBinary format to a growable byte buffer: numbers little-endian,
 * lengths and sizes as unsigned LEB128, strings as length + UTF-8 bytes. Composite types are written by
 * the caller as their parts: {@code Array(T)} and {@code Map(K, V)} start with {@link #writeSize}, a
 * {@code Nested} column is one {@code Array} per sub-column, {@code LowCardinality(T)} is written as T and
 * {@code DateTime64(9)} as Int64 nanoseconds.
 *
 * <p>Not thread-safe; reuse one per thread with {@link #reset()}.
 */
public final class RowBinaryWriter {
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int pos;

  public RowBinaryWriter() {
    this(64 * 1024);
  }

  public RowBinaryWriter(int initialCapacity) {
    if (initialCapacity < 16) {
      initialCapacity = 16;
    }
    buf = new byte[initialCapacity];
  }

  /** The buffer holding {@link #size()} written bytes; valid until the next write. */
  public byte[] buffer() {
    return buf;
  }

  public int size() {
    return pos;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Forgets the bytes written after the first {@code size}: a row (or request) given up half-written. */
  public void truncate(int size) {
    if (size < 0 || size > pos) {
      throw new IllegalArgumentException("size: " + size + " (expected: 0 to " + pos + ")");
    }
    pos = size;
  }

  /** Forgets the written bytes, keeping the buffer. */
  public void reset() {
    pos = 0;
  }

  private void ensure(int extra) {
    int needed = pos + extra;
    if (needed < 0 || needed > MAX_ARRAY) {
      throw new IllegalStateException("RowBinary buffer over " + MAX_ARRAY + " bytes");
    }
    if (needed > buf.length) {
      long grown = Math.max((long) buf.length * 2, needed);
      buf = Arrays.copyOf(buf, (int) Math.min(grown, MAX_ARRAY));
    }
  }

  /** Unsigned LEB128, as ClickHouse writes string lengths and array sizes. */
  public RowBinaryWriter writeVarUInt(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
    return this;
  }

  /** The element count that starts an {@code Array} or a {@code Map}. */
  public RowBinaryWriter writeSize(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
    }
    return writeVarUInt(size);
  }

  public RowBinaryWriter writeUInt8(int value) {
    ensure(1);
    buf[pos++] = (byte) value;
    return this;
  }

  public RowBinaryWriter writeInt8(int value) {
    return writeUInt8(value);
  }

  public RowBinaryWriter writeBool(boolean value) {
    return writeUInt8(value ? 1 : 0);
  }

  public RowBinaryWriter writeUInt16(int value) {
    ensure(2);
    buf[pos++] = (byte) value;
    buf[pos++] = (byte) (value >>> 8);
    return this;
  }

  public RowBinaryWriter writeInt32(int value) {
    ensure(4);
    buf[pos++] = (byte) value;
    buf[pos++] = (byte) (value >>> 8);
    buf[pos++] = (byte) (value >>> 16);
    buf[pos++] = (byte) (value >>> 24);
    return this;
  }

  /** UInt32 from the low 32 bits of {@code value}. */
  public RowBinaryWriter writeUInt32(long value) {
    return writeInt32((int) value);
  }

  public RowBinaryWriter writeInt64(long value) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (value >>> (8 * i));
    }
    return this;
  }

  /** UInt64 from the 64 bits of {@code value}, read as unsigned (protobuf's fixed64 and uint64). */
  public RowBinaryWriter writeUInt64(long value) {
    return writeInt64(value);
  }

  public RowBinaryWriter writeFloat64(double value) {
    return writeInt64(Double.doubleToRawLongBits(value));
  }

  public RowBinaryWriter writeFloat32(float value) {
    return writeInt32(Float.floatToRawIntBits(value));
  }

  /** {@code DateTime64(9)}: nanoseconds since the epoch as Int64. */
  public RowBinaryWriter writeDateTime64Nanos(long epochNanos) {
    return writeInt64(epochNanos);
  }

  /** {@code DateTime}: seconds since the epoch as UInt32. */
  public RowBinaryWriter writeDateTime(long epochSeconds) {
    return writeUInt32(epochSeconds);
  }

  /** {@code UUID}: the high 64 bits, then the low 64 bits, each little-endian. */
  public RowBinaryWriter writeUuid(UUID uuid) {
    writeInt64(uuid.getMostSignificantBits());
    return writeInt64(uuid.getLeastSignificantBits());
  }

  /** {@code Nullable(T)}: a null marker byte; when it is 0 the caller writes the T value next. */
  public RowBinaryWriter writeNullMarker(boolean isNull) {
    return writeUInt8(isNull ? 1 : 0);
  }

  public RowBinaryWriter writeBytes(byte[] bytes, int offset, int length) {
    writeVarUInt(length);
    ensure(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
    return this;
  }

  /** {@code String}: LEB128 byte length, then UTF-8 bytes; ASCII is copied straight into the buffer. */
  public RowBinaryWriter writeString(String value) {
    int n = value.length();
    int start = pos;
    writeVarUInt(n);
    ensure(n);
    byte[] b = buf;
    int p = pos;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        pos = start;
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return writeBytes(utf8, 0, utf8.length);
      }
      b[p + i] = (byte) c;
    }
    pos = p + n;
    return this;
  }

  /** Bytes as they are, without a length: for values the caller has already encoded. */
  public RowBinaryWriter writeRaw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buf, pos, length);
    pos += length;
    return this;
  }

  /** Lowercase hex of {@code bytes} as a {@code String} value, without an intermediate String. */
  public RowBinaryWriter writeHexString(byte[] bytes) {
    int n = bytes.length * 2;
    writeVarUInt(n);
    ensure(n);
    for (byte b : bytes) {
      buf[pos++] = HEX[(b >>> 4) & 0xF];
      buf[pos++] = HEX[b & 0xF];
    }
    return this;
  }

  /** Lowercase hex of {@code length} bytes of {@code bytes} from {@code offset}, as a {@code String} value. */
  public RowBinaryWriter writeHexString(byte[] bytes, int offset, int length) {
    int n = length * 2;
    writeVarUInt(n);
    ensure(n);
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      buf[pos++] = HEX[(b >>> 4) & 0xF];
      buf[pos++] = HEX[b & 0xF];
    }
    return this;
  }

  /** A long in decimal as a {@code String} value, as {@link Long#toString(long)} prints it. */
  public RowBinaryWriter writeDecimalString(long value) {
    if (value == Long.MIN_VALUE) {
      return writeString(Long.toString(value));
    }
    int digits = 1;
    long abs = Math.abs(value);
    for (long t = abs; t >= 10; t /= 10) {
      digits++;
    }
    int n = digits + (value < 0 ? 1 : 0);
    writeVarUInt(n);
    ensure(n);
    int p = pos + n;
    do {
      buf[--p] = (byte) ('0' + (abs % 10));
      abs /= 10;
    } while (abs != 0);
    if (value < 0) {
      buf[--p] = '-';
    }
    pos += n;
    return this;
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
}
