package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.NOW;
import static io.tskotel.collector.query.QueryFixture.gauge;
import static io.tskotel.collector.query.QueryFixture.gp;
import static io.tskotel.collector.query.QueryFixture.histogram;
import static io.tskotel.collector.query.QueryFixture.hp;
import static io.tskotel.collector.query.QueryFixture.kv;
import static io.tskotel.collector.query.QueryFixture.sp;
import static io.tskotel.collector.query.QueryFixture.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tskotel.collector.query.internal.MetricKind;
import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.collector.testing.ForwardingStore;
import io.tskotel.collector.testing.OneKindLookupPerMetric;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard looks up the kinds of its seven metrics in one statement ({@link MetricSql#kinds}); the
 * reference answers that statement with the seven single lookups ({@link MetricSql#KIND}) it replaced, one
 * per name, so both dashboards must be equal. The names cover every kind the dashboard meets: a gauge, an
 * up-down counter, a name in two tables (the gauge wins, as in {@code KIND}'s order), a histogram, a
 * counter, an alias, and absent names.
 */
class DashboardKindsTest {
  private static ClickHouseStore store;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(DashboardKindsTest.class);
    QueryFixture.writeSpans(store);
    Instant start = NOW.minus(Duration.ofHours(3));
    var cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    store.writeMetrics(
        List.of(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "web")))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(gauge("cpu_usage", gp(NOW.minusSeconds(600), 40), gp(NOW.minusSeconds(60), 50)))
                        .addMetrics(sum("memory_usage", false, cumulative, sp(start, NOW.minusSeconds(120), 300),
                            sp(start, NOW.minusSeconds(30), 100)))
                        .addMetrics(gauge("disk_usage", gp(NOW.minusSeconds(90), 70)))
                        .addMetrics(sum("disk_usage", true, cumulative, sp(start, NOW.minusSeconds(90), 9)))
                        .addMetrics(histogram("http_latency", cumulative,
                            hp(start, NOW.minusSeconds(1800), List.of(0.1, 1.0), List.of(1L, 1L, 0L), 0.6, 0.05, 0.55),
                            hp(start, NOW.minusSeconds(60), List.of(0.1, 1.0), List.of(3L, 2L, 0L), 1.5, 0.05, 0.9)))
                        .addMetrics(sum("user_registrations", true, cumulative,
                            sp(start, NOW.minusSeconds(7200), 10), sp(start, NOW.minusSeconds(60), 25))))
                .build()));
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  @Test
  void dashboardData_kindsFolded_sameAsOneLookupPerMetric() throws Exception {
    for (boolean rollups : List.of(true, false)) {
      for (Instant at : List.of(NOW, NOW.minusSeconds(95), NOW.plus(Duration.ofHours(2)))) {
        List<String> folded = Collections.synchronizedList(new ArrayList<>());
        DashboardData actual = functions(recording(store, folded), at, rollups).dashboardData();
        List<String> single = Collections.synchronizedList(new ArrayList<>());
        DashboardData expected = functions(new OneKindLookupPerMetric(recording(store, single)), at, rollups).dashboardData();

        assertThat(actual).as("rollups %s at %s", rollups, at).isEqualTo(expected);
        assertThat(folded).as("one statement for all seven").containsOnlyOnce(MetricSql.kinds(7))
            .doesNotContain(MetricSql.KIND);
        assertThat(single).as("the reference's seven lookups").filteredOn(MetricSql.KIND::equals).hasSize(7);
      }
    }
    // The fixture does reach every kind: a gauge, an up-down counter, gauge over sum,
    // a histogram, a counter; an absent name is no data.
    DashboardData now = functions(store, NOW, true).dashboardData();
    assertThat(now.system().cpuUsage()).isEqualTo(45.0);
    assertThat(now.system().memoryUsage()).isEqualTo(200.0);
    assertThat(now.system().diskUsage()).isEqualTo(70.0);
    assertThat(now.application().responseTimeSource()).isEqualTo("metric:http_latency");
    assertThat(now.application().activeUsers()).isNull();
    assertThat(now.business().userRegistrations()).isNotNull();
  }

  @Test
  void kinds_repeatedAndUnknownNames_eachAsKindOf() throws Exception {
    MetricQueries metrics = MetricQueries.create(store, Clock.fixed(NOW, ZoneOffset.UTC), config());
    MetricQueries.Kinds kinds = metrics.kinds(List.of("disk_usage", "nope", "disk_usage", "response_time"));
    assertThat(kinds.byName()).containsOnlyKeys("disk_usage", "nope", "http_latency");
    assertThat(kinds.byName().get("nope")).isEmpty();
    assertThat(kinds.byName().get("disk_usage")).contains(new MetricQueries.Kind(MetricKind.GAUGE, false));
    assertThat(kinds.byName().get("http_latency")).contains(new MetricQueries.Kind(MetricKind.HISTOGRAM, false));
    assertThat(metrics.kinds(List.of("memory_usage", "user_registrations")).byName()).containsOnly(
        Map.entry("memory_usage", Optional.of(new MetricQueries.Kind(MetricKind.SUM, false))),
        Map.entry("user_registrations", Optional.of(new MetricQueries.Kind(MetricKind.SUM, true))));
  }

  private static QueryConfig config() {
    return QueryConfig.builder()
        .database(store.config().database())
        .metricAlias("response_time", "http_latency")
        .build();
  }

  private static QueryFunctions functions(TelemetryStore s, Instant at, boolean rollups) {
    return QueryFunctions.builder(s).clock(Clock.fixed(at, ZoneOffset.UTC)).config(config()).rollups(rollups).build();
  }

  private static TelemetryStore recording(TelemetryStore s, List<String> statements) {
    return new ForwardingStore(s) {
      @Override
      public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
        statements.add(sql);
        return super.query(sql, params);
      }
    };
  }
}
