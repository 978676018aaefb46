package io.tskotel.collector.alert;

import io.tskotel.collector.testing.ForwardingStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The real store, whose queries fail (retryable, as a server that is down) while {@code down} is set. */
final class FlakyStore extends ForwardingStore {
  private final AtomicBoolean down;

  FlakyStore(TelemetryStore delegate, AtomicBoolean down) {
    super(delegate);
    this.down = down;
  }

  @Override
  public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
    if (down.get()) {
      throw StoreException.retryable("store down (test)");
    }
    return delegate.query(sql, params);
  }
}
