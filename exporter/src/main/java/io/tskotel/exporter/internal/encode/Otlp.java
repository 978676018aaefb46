package io.tskotel.exporter.internal.encode;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;

/** Value conventions shared by the encoders, as the upstream exporter stores them. */
final class Otlp {
  private Otlp() {}

  /** What a resource without {@code service.name} reports, as the OpenTelemetry SDKs do. */
  static final String UNKNOWN_SERVICE = "unknown_service";

  static String serviceName(List<KeyValue> resourceAttributes, EncodeStats stats) {
    String name = Attributes.find(resourceAttributes, "service.name");
    if (name == null || name.isEmpty()) {
      stats.missingServiceName.increment();
      return UNKNOWN_SERVICE;
    }
    return name;
  }

  /**
   * A trace or span id as lowercase hex; all-zero or empty ids as "" (upstream's HexOrEmptyString). An id of
   * the wrong length is kept as its hex (nothing is lost) and counted.
   */
  static void writeId(RowBinaryWriter w, ByteString id, int expectedLength, EncodeStats stats) {
    int n = id.size();
    if (n == 0 || isAllZero(id)) {
      w.writeString("");
      return;
    }
    countWrongLength(n, expectedLength, stats);
    w.writeHexString(id.toByteArray());
  }

  /** Counts an id of {@code n} bytes that is not {@code expectedLength} (16: a trace id, else a span id). */
  static void countWrongLength(int n, int expectedLength, EncodeStats stats) {
    if (n != expectedLength) {
      if (expectedLength == 16) {
        stats.badTraceId.increment();
      } else {
        stats.badSpanId.increment();
      }
    }
  }

  private static boolean isAllZero(ByteString id) {
    for (int i = 0; i < id.size(); i++) {
      if (id.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A fixed64 nanosecond timestamp as {@code DateTime64(9)}: values past 2262-04-11 (negative as a Java
   * long) do not fit Int64 and are written as 0, counted.
   */
  static long nanos(long unsignedNanos, EncodeStats stats) {
    if (unsignedNanos < 0) {
      stats.timestampOutOfRange.increment();
      return 0;
    }
    return unsignedNanos;
  }

  static void writeNanos(RowBinaryWriter w, long unsignedNanos, EncodeStats stats) {
    w.writeDateTime64Nanos(nanos(unsignedNanos, stats));
  }
}
