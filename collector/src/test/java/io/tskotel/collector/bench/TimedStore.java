package io.tskotel.collector.bench;

import io.tskotel.collector.testing.ForwardingStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The store, timing each query where it runs (the dashboard benchmarks' statement-by-statement tables); a
 * variant may rewrite the statement before it runs.
 */
final class TimedStore extends ForwardingStore {
  record Call(String label, double ms) {}

  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final int labelLength;
  private final UnaryOperator<String> rewrite;

  TimedStore(TelemetryStore store, int labelLength, UnaryOperator<String> rewrite) {
    super(store);
    this.labelLength = labelLength;
    this.rewrite = rewrite;
  }

  @Override
  public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
    long start = System.nanoTime();
    try {
      return delegate.query(rewrite.apply(sql), params);
    } finally {
      calls.add(new Call(label(sql), (System.nanoTime() - start) / 1e6));
    }
  }

  private String label(String sql) {
    String s = sql.replaceAll("\\s+", " ").trim();
    return s.length() > labelLength ? s.substring(0, labelLength) : s;
  }
}
