package io.tskotel.collector.receiver.internal;

import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The few reads of protobuf's {@code CodedInputStream} that {@link WireWalk} needs, over one byte array,
 * with the same names and the same answers for well-formed input. Why not {@code CodedInputStream}: its
 * limit bookkeeping (every push and pop recomputes the buffer's end) and its general varint paths were a
 * third of the walk's CPU for attribute-heavy spans, which push a limit per attribute and per value.
 *
 * <p>Anything protobuf would refuse (a truncated field, a varint over ten bytes, a negative or too long
 * length, field number 0, wire types 6 and 7) throws; the walk then falls back to the parser, which gives
 * the exact error. It may refuse more than protobuf, never less.
 */
final class WireInput {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buf;
  private int pos;
  /** The end of the message being read: the array's end, or a pushed limit. */
  private int limit;

  WireInput(byte[] buf) {
    this.buf = buf;
    this.limit = buf.length;
  }

  /** The next field's tag, or 0 at the end of the current message. */
  int readTag() throws IOException {
    if (pos == limit) {
      return 0;
    }
    int tag = readRawVarint32();
    if (WireFormat.getTagFieldNumber(tag) == 0) {
      throw Malformed.INSTANCE;
    }
    return tag;
  }

  int readRawVarint32() throws IOException {
    int p = pos;
    if (p < limit) {
      int b = buf[p];
      if (b >= 0) { // one byte: tags and short lengths
        pos = p + 1;
        return b;
      }
    }
    return (int) readVarint64Slow();
  }

  long readRawVarint64() throws IOException {
    return readVarint64Slow();
  }

  private long readVarint64Slow() throws IOException {
    long result = 0;
    int p = pos;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= limit) {
        throw Malformed.INSTANCE;
      }
      byte b = buf[p++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        pos = p;
        return result;
      }
    }
    throw Malformed.INSTANCE; // more than ten bytes
  }

  int readUInt32() throws IOException {
    return readRawVarint32();
  }

  long readUInt64() throws IOException {
    return readRawVarint64();
  }

  int readSInt32() throws IOException {
    int n = readRawVarint32();
    return (n >>> 1) ^ -(n & 1);
  }

  long readFixed64() throws IOException {
    if (limit - pos < Long.BYTES) {
      throw Malformed.INSTANCE;
    }
    long v = (long) LONGS.get(buf, pos);
    pos += Long.BYTES;
    return v;
  }

  double readDouble() throws IOException {
    return Double.longBitsToDouble(readFixed64());
  }

  void skipRawBytes(int length) throws IOException {
    if (length < 0 || length > limit - pos) {
      throw Malformed.INSTANCE;
    }
    pos += length;
  }

  /** Skips a field of a wire type other than a group's (the walk checks for groups before). */
  void skipField(int tag) throws IOException {
    switch (WireFormat.getTagWireType(tag)) {
      case WireFormat.WIRETYPE_VARINT -> readVarint64Slow();
      case WireFormat.WIRETYPE_FIXED64 -> skipRawBytes(Long.BYTES);
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> skipRawBytes(readRawVarint32());
      case WireFormat.WIRETYPE_FIXED32 -> skipRawBytes(Integer.BYTES);
      default -> throw Malformed.INSTANCE;
    }
  }

  /** Ends the current message {@code length} bytes from here; returns the limit to restore. */
  int pushLimit(int length) throws IOException {
    if (length < 0 || length > limit - pos) {
      throw Malformed.INSTANCE;
    }
    int old = limit;
    limit = pos + length;
    return old;
  }

  void popLimit(int old) {
    limit = old;
  }

  int getBytesUntilLimit() {
    return limit - pos;
  }

  /** The offset of the next byte in the array. */
  int getTotalBytesRead() {
    return pos;
  }

  /** Thrown for bytes protobuf would refuse; no stack trace, the walk only falls back. */
  static final class Malformed extends IOException {
    static final Malformed INSTANCE = new Malformed();

    private Malformed() {
      super("malformed protobuf");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
