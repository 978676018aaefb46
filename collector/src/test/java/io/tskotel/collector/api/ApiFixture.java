package io.tskotel.collector.api;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.SqlFujsens;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exporter's query fixture behind the real functions, with two SQL fujsen, for the API tests. */
public final class ApiFixture {
  public static final String TOKEN = "t0ken-for-tests";

  private ApiFixture() {}

  public static Map<String, Map<String, String>> fujsenBodies() {
    Map<String, String> reports = new LinkedHashMap<>();
    reports.put(
        "spans_by_service",
        """
        SELECT SpanName, count() AS n FROM {db:Identifier}.otel_traces
        WHERE ServiceName = {service:String} AND SpanKind = 'Server'
        GROUP BY SpanName ORDER BY SpanName
        """);
    reports.put("echo", "SELECT {s:String} AS s");
    return Map.of("reports", reports);
  }

  public static QueryFunctions functions(ClickHouseStore store) {
    var config = QueryFixture.config(store);
    return QueryFunctions.builder(store)
        .clock(QueryFixture.CLOCK)
        .config(config)
        .sqlFujsen(
            SqlFujsens.of(
                SqlFujsens.parseAll(fujsenBodies()), store, config))
        .build();
  }
}
