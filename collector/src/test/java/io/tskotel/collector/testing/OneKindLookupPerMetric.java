package io.tskotel.collector.testing;

import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A store that answers the folded kind lookup ({@link MetricSql#kinds}) as the dashboard asked before it
 * was folded: one {@link MetricSql#KIND} statement per name, its rows tagged with the name's index. The
 * reference of the differential test and the "before" of the benchmark.
 */
public final class OneKindLookupPerMetric extends ForwardingStore {
  public OneKindLookupPerMetric(TelemetryStore store) {
    super(store);
  }

  @Override
  public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
    int names = 0;
    while (params.containsKey("n" + names)) {
      names++;
    }
    if (names == 0 || !sql.equals(MetricSql.kinds(names))) {
      return super.query(sql, params);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < names; i++) {
      for (List<Object> row : super.query(MetricSql.KIND, Map.of("db", params.get("db"), "name",
          params.get("n" + i))).rows()) {
        List<Object> tagged = new ArrayList<>();
        tagged.add((long) i);
        tagged.addAll(row);
        rows.add(tagged);
      }
    }
    return new QueryResult(List.of("i", "prio", "kind", "monotonic"), List.of("UInt8", "UInt8", "String", "UInt8"),
        rows);
  }
}
