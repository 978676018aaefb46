package io.tskotel.collector.receiver.internal;

import com.google.protobuf.ByteString;
import org.jspecify.annotations.Nullable;

/** Checks of W3C trace context ids as OTLP carries them (raw bytes). */
final class Ids {
  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;

  private Ids() {}

  /** Why {@code id} is not a valid id of {@code length} bytes, or null when it is. */
  static @Nullable String problem(String field, ByteString id, int length) {
    if (id.size() != length) {
      return field + " has " + id.size() + " bytes (expected: " + length + ")";
    }
    for (int i = 0; i < length; i++) {
      if (id.byteAt(i) != 0) {
        return null;
      }
    }
    return field + " is all zeros";
  }

  /** Like {@link #problem} but an empty id (absent, as OTLP allows for this field) is fine. */
  static @Nullable String optionalProblem(String field, ByteString id, int length) {
    return id.isEmpty() ? null : problem(field, id, length);
  }
}
