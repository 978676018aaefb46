package io.tskotel.collector.alert;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.StoreHealth;
import io.tskotel.exporter.TelemetryStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The real store, whose queries fail (retryable, as a server that is down) while {@code down} is set. */
final class FlakyStore implements TelemetryStore {
  private final TelemetryStore delegate;
  private final AtomicBoolean down;

  FlakyStore(TelemetryStore delegate, AtomicBoolean down) {
    this.delegate = delegate;
    this.down = down;
  }

  @Override
  public void migrate() throws StoreException {
    delegate.migrate();
  }

  @Override
  public void writeTraces(List<ResourceSpans> spans) throws StoreException {
    delegate.writeTraces(spans);
  }

  @Override
  public void writeMetrics(List<ResourceMetrics> metrics) throws StoreException {
    delegate.writeMetrics(metrics);
  }

  @Override
  public void writeLogs(List<ResourceLogs> logs) throws StoreException {
    delegate.writeLogs(logs);
  }

  @Override
  public void writeAlerts(List<AlertRecord> alerts) throws StoreException {
    delegate.writeAlerts(alerts);
  }

  @Override
  public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
    if (down.get()) {
      throw StoreException.retryable("store down (test)");
    }
    return delegate.query(sql, params);
  }

  @Override
  public StoreHealth health() {
    return delegate.health();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
