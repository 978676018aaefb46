package io.tskotel.collector.testing;

import static java.util.Objects.requireNonNull;

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

/**
 * A real store that tests wrap to watch or disturb one call: every method forwards unless overridden. The
 * serialized-request writes ({@code writeTraceRequests}, {@code writeLogRequests}) are not forwarded: the
 * interface's defaults parse the requests and call {@link #writeTraces} / {@link #writeLogs}, so a test that
 * disturbs those sees the pipeline's writes too.
 */
public abstract class ForwardingStore implements TelemetryStore {
  protected final TelemetryStore delegate;

  protected ForwardingStore(TelemetryStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  @Override
  public void migrate() throws StoreException {
    delegate.migrate();
  }

  @Override
  public void writeTraces(List<ResourceSpans> resourceSpans) throws StoreException {
    delegate.writeTraces(resourceSpans);
  }

  @Override
  public void writeMetrics(List<ResourceMetrics> resourceMetrics) throws StoreException {
    delegate.writeMetrics(resourceMetrics);
  }

  @Override
  public void writeLogs(List<ResourceLogs> resourceLogs) throws StoreException {
    delegate.writeLogs(resourceLogs);
  }

  @Override
  public void writeAlerts(List<AlertRecord> alerts) throws StoreException {
    delegate.writeAlerts(alerts);
  }

  @Override
  public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
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
