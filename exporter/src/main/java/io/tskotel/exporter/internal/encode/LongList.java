package io.tskotel.exporter.internal.encode;

import java.util.Arrays;

/** A growable list of longs (packed wire ranges), reused between messages: no boxing, no garbage. */
final class LongList {
  long[] values = new long[16];
  int size;

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  void clear() {
    size = 0;
  }
}
