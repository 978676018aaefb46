package io.tskotel.collector.receiver.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Well-formed UTF-8 as protobuf-java checks proto3 strings: no overlong forms, no surrogates, nothing
 * above U+10FFFF. Checked in place, so the wire walk allocates nothing per string.
 */
final class StrictUtf8 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private StrictUtf8() {}

  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    // Attribute keys and most values are ASCII: eight bytes at a time while no high bit is set.
    while (to - i >= Long.BYTES && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
      i += Long.BYTES;
    }
    // The last one to seven bytes in one read too: most strings are short, and a byte loop over their tail
    // cost as much as the rest of the check.
    if (i < to && to - i < Long.BYTES) { // else the loop stopped at a non-ASCII byte
      if (to - from >= Long.BYTES) {
        if (((long) LONGS.get(b, to - Long.BYTES) & HIGH_BITS) == 0) {
          return true; // the bytes before to - 8 were ASCII already
        }
      } else if (b.length - i >= Long.BYTES
          && ((long) LONGS.get(b, i) & HIGH_BITS & (-1L >>> (64 - 8 * (to - i)))) == 0) {
        return true; // read past the string, the bytes after it masked off
      }
    }
    while (i < to && b[i] >= 0) {
      i++;
    }
    while (i < to) {
      int c = b[i++] & 0xFF;
      if (c < 0x80) {
        continue;
      }
      if (c < 0xC2) {
        return false; // a continuation byte first, or an overlong 2-byte form
      }
      if (c < 0xE0) {
        if (i >= to || !continuation(b[i++])) {
          return false;
        }
      } else if (c < 0xF0) {
        if (to - i < 2) {
          return false;
        }
        int c2 = b[i++] & 0xFF;
        if (!continuation(c2)
            || (c == 0xE0 && c2 < 0xA0) // overlong
            || (c == 0xED && c2 >= 0xA0) // a surrogate
            || !continuation(b[i++])) {
          return false;
        }
      } else if (c <= 0xF4) {
        if (to - i < 3) {
          return false;
        }
        int c2 = b[i++] & 0xFF;
        if (!continuation(c2)
            || (c == 0xF0 && c2 < 0x90) // overlong
            || (c == 0xF4 && c2 >= 0x90) // above U+10FFFF
            || !continuation(b[i++])
            || !continuation(b[i++])) {
          return false;
        }
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean continuation(int b) {
    return (b & 0xC0) == 0x80;
  }
}
