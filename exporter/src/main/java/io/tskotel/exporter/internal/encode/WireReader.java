package io.tskotel.exporter.internal.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads protobuf's wire format over a range of a byte array, for the encoders that write RowBinary straight
 * from a serialized request ({@link WireSpanEncoder}, {@link WireLogEncoder}). A length-delimited value is
 * handed back as a packed range into the array ({@link #range(int, int)}), so strings and ids are copied to
 * the output without being decoded.
 *
 * <p>It reads only what protobuf-java's generated parsers accept the same way; anything else — malformed
 * bytes, groups, a field number 0 — throws {@link #UNSURE}, and the caller gives the whole request to the
 * generated parser instead, which either handles it or rejects it exactly as before. One reader per nesting
 * level, reused: nothing is allocated per field.
 */
final class WireReader {
  /** Thrown for bytes this reader does not handle; without a stack trace, it costs nothing to make. */
  static final class Unsure extends RuntimeException {
    private Unsure() {
      super("not handled on the wire", null, false, false);
    }
  }

  static final Unsure UNSURE = new Unsure();

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private byte[] buf = new byte[0];
  private int pos;
  private int end;

  /** Reads {@code buf} from {@code start} up to {@code end}. */
  WireReader at(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  /** Reads the bytes a packed range points at. */
  WireReader at(byte[] buf, long range) {
    return at(buf, offset(range), offset(range) + length(range));
  }

  boolean more() {
    return pos < end;
  }

  /** The next field's tag: field number {@code << 3 |} wire type. */
  int tag() {
    int tag = (int) varint();
    int wireType = tag & 7;
    if ((tag >>> 3) == 0 || wireType == 3 || wireType == 4 || wireType > 5) {
      throw UNSURE; // field 0 and bad wire types are errors; groups are left to the generated parser
    }
    return tag;
  }

  static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw UNSURE;
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw UNSURE; // more than 10 bytes
  }

  long fixed64() {
    if (end - pos < 8) {
      throw UNSURE;
    }
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (buf[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  int fixed32() {
    if (end - pos < 4) {
      throw UNSURE;
    }
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  /** A length-delimited value as a packed range; the reader moves past it. */
  long lengthDelimited() {
    int length = (int) varint(); // protobuf reads lengths as int32
    if (length < 0 || length > end - pos) {
      throw UNSURE;
    }
    long range = range(pos, length);
    pos += length;
    return range;
  }

  /** A string field: its range, once its bytes are checked to be UTF-8 as protobuf's proto3 parser does. */
  long string() {
    long range = lengthDelimited();
    if (!Utf8.isValid(buf, offset(range), length(range))) {
      throw UNSURE;
    }
    return range;
  }

  /** Skips a field this encoder does not read, as protobuf keeps an unknown field. */
  void skip(int tag) {
    switch (tag & 7) {
      case VARINT -> varint();
      case FIXED64 -> advance(8);
      case LEN -> lengthDelimited();
      case FIXED32 -> advance(4);
      default -> throw UNSURE;
    }
  }

  private void advance(int n) {
    if (end - pos < n) {
      throw UNSURE;
    }
    pos += n;
  }

  /** An offset and a length in one long: no object per string. */
  static long range(int offset, int length) {
    return (long) offset << 32 | length;
  }

  static int offset(long range) {
    return (int) (range >>> 32);
  }

  static int length(long range) {
    return (int) range;
  }

  /** Strict UTF-8, as protobuf's check: no overlong forms, no surrogates, nothing past U+10FFFF. */
  static final class Utf8 {
    private Utf8() {}

    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    static boolean isValid(byte[] b, int off, int len) {
      int i = off;
      int end = off + len;
      // ASCII, the common case, eight bytes at a time: this check was the wire encoders' largest cost.
      while (end - i >= 8 && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
      }
      // The last one to seven bytes in one read too: most strings are short, and a byte loop over their tail
      // cost as much as the rest of the check.
      if (i < end && end - i < 8) { // else the loop stopped at a non-ASCII byte
        if (len >= 8) {
          if (((long) LONGS.get(b, end - 8) & HIGH_BITS) == 0) {
            return true; // the bytes before end - 8 were ASCII already
          }
        } else if (b.length - i >= 8
            && ((long) LONGS.get(b, i) & HIGH_BITS & (-1L >>> (64 - 8 * (end - i)))) == 0) {
          return true; // read past the string, the bytes after it masked off
        }
      }
      while (i < end && b[i] >= 0) {
        i++;
      }
      while (i < end) {
        int c = b[i++];
        if (c >= 0) {
          continue;
        }
        if (c < (byte) 0xC2) {
          return false; // a continuation byte first, or an overlong 2-byte form
        }
        if (c < (byte) 0xE0) {
          if (i >= end || b[i++] > (byte) 0xBF) {
            return false;
          }
        } else if (c < (byte) 0xF0) {
          if (end - i < 2) {
            return false;
          }
          int c1 = b[i++];
          if (c1 > (byte) 0xBF
              || (c == (byte) 0xE0 && c1 < (byte) 0xA0) // overlong
              || (c == (byte) 0xED && c1 >= (byte) 0xA0) // a surrogate
              || b[i++] > (byte) 0xBF) {
            return false;
          }
        } else {
          if (end - i < 3) {
            return false;
          }
          int c1 = b[i++];
          if (c > (byte) 0xF4 || c1 > (byte) 0xBF
              || (c == (byte) 0xF0 && c1 < (byte) 0x90) // overlong
              || (c == (byte) 0xF4 && c1 > (byte) 0x8F) // past U+10FFFF
              || b[i++] > (byte) 0xBF
              || b[i++] > (byte) 0xBF) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
