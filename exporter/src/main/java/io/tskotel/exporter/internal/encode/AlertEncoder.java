package io.tskotel.exporter.internal.encode;

import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.time.Instant;
import java.util.List;

/** {@link AlertRecord}s as {@code tskotel_alerts} rows; labels sorted by key like every map. */
public final class AlertEncoder {
  public static final String TABLE = "tskotel_alerts";
  public static final List<String> COLUMNS =
      List.of("timestamp", "type", "severity", "message", "value", "threshold", "labels", "state",
          "fingerprint", "started_at", "resolved_at");

  private AlertEncoder() {}

  public static int encode(List<AlertRecord> alerts, RowSink sink) throws StoreException {
    for (AlertRecord a : alerts) {
      RowBinaryWriter w = sink.writer();
      w.writeDateTime64Nanos(nanos(a.timestamp()));
      w.writeString(a.type());
      w.writeString(a.severity());
      w.writeString(a.message());
      w.writeFloat64(a.value());
      w.writeFloat64(a.threshold());
      Attributes.writeMap(w, a.labels());
      w.writeString(a.state());
      w.writeString(a.fingerprint());
      w.writeDateTime64Nanos(nanos(a.startedAt()));
      w.writeDateTime64Nanos(a.resolvedAt() == null ? 0 : nanos(a.resolvedAt()));
      sink.endRow();
    }
    return alerts.size();
  }

  /** Nanoseconds since the epoch, clamped to what Int64 holds. */
  static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
