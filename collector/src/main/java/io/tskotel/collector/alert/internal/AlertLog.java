package io.tskotel.collector.alert.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.internal.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evaluator's memory in {@code tskotel_alerts}: every transition written, the open alerts read back. */
public final class AlertLog {
  /** Per fingerprint, its latest transition, when that is pending or firing (silence rows aside). */
  private static final String OPEN =
      """
      SELECT fingerprint, argMax(type, timestamp), argMax(severity, timestamp), argMax(message, timestamp),
        argMax(value, timestamp), argMax(threshold, timestamp), argMax(labels, timestamp),
        argMax(state, timestamp) AS last_state, argMax(started_at, timestamp), max(timestamp)
      FROM {db:Identifier}.tskotel_alerts
      WHERE fingerprint != '' AND state != 'silenced'
      GROUP BY fingerprint
      HAVING last_state IN ('pending', 'firing')
      ORDER BY fingerprint
      """;

  /** Silences that have not ended yet. */
  private static final String SILENCES =
      """
      SELECT fingerprint, max(resolved_at)
      FROM {db:Identifier}.tskotel_alerts
      WHERE state = 'silenced'
      GROUP BY fingerprint
      HAVING max(resolved_at) > fromUnixTimestamp64Nano({now_ns:Int64})
      """;

  private final TelemetryStore store;
  private final String database;

  public AlertLog(TelemetryStore store, String database) {
    this.store = requireNonNull(store, "store");
    this.database = requireNonNull(database, "database");
  }

  public void write(List<AlertRecord> rows) throws StoreException {
    if (!rows.isEmpty()) {
      store.writeAlerts(rows);
    }
  }

  /** The alerts that were pending or firing when the collector stopped: their latest rows. */
  public List<AlertRecord> open() throws StoreException {
    List<AlertRecord> out = new ArrayList<>();
    for (List<Object> row : store.query(OPEN, Map.of("db", database)).rows()) {
      out.add(new AlertRecord(Values.toInstant(row.get(9)), Values.toStr(row.get(1)), Values.toStr(row.get(2)),
          Values.toStr(row.get(3)), Values.toDouble(row.get(4)), Values.toDouble(row.get(5)),
          Values.toStringMap(row.get(6)), Values.toStr(row.get(7)), Values.toStr(row.get(0)),
          Values.toInstant(row.get(8)), null));
    }
    return out;
  }

  /** Fingerprint to the end of its silence, for silences still running at {@code now}. */
  public Map<String, Instant> silences(Instant now) throws StoreException {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("db", database);
    params.put("now_ns", now.getEpochSecond() * 1_000_000_000L + now.getNano());
    Map<String, Instant> out = new LinkedHashMap<>();
    for (List<Object> row : store.query(SILENCES, params).rows()) {
      out.put(Values.toStr(row.get(0)), Values.toInstant(row.get(1)));
    }
    return out;
  }
}
