package io.tskotel.collector.web.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every panel and variable query of the provisioned dashboards, expanded as Grafana would and run on the
 * embedded engine over telemetry written through the store, returns the columns its panel type reads.
 */
class GrafanaProvisioningTest {
  // Now, not a fixed date: the store's tables have a TTL, and rows older than it are dropped on insert.
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  static final long FROM = NOW.getEpochSecond() - 3600;
  static final long TO = NOW.getEpochSecond();
  static final String[] DASHBOARDS = {
    "tskotel-service-red", "tskotel-system", "tskotel-business", "tskotel-logs", "tskotel-traces"
  };

  static ClickHouseStore store;
  static String database;

  enum Kind {
    TIME("DateTime.*"),
    NUM("(U?Int(8|16|32|64|128|256)|Float(32|64)|Decimal.*)"),
    STR("(LowCardinality\\()?String\\)?"),
    MAP("Map\\(.*"),
    TAGS("Array\\(Map\\(.*");

    final Pattern type;

    Kind(String regex) {
      this.type = Pattern.compile("(Nullable\\()?" + regex + "\\)?");
    }
  }

  record Col(String name, Kind kind) {}

  static Col time(String name) {
    return new Col(name, Kind.TIME);
  }

  static Col num(String name) {
    return new Col(name, Kind.NUM);
  }

  static Col str(String name) {
    return new Col(name, Kind.STR);
  }

  /** The columns each panel must return, by dashboard uid and panel id. */
  static final Map<String, List<Col>> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("tskotel-red/1", List.of(num("rps")));
    EXPECTED.put("tskotel-red/2", List.of(num("error_pct")));
    EXPECTED.put("tskotel-red/3", List.of(num("p95_ms")));
    EXPECTED.put("tskotel-red/4", List.of(num("services")));
    EXPECTED.put("tskotel-red/5", List.of(time("time"), str("service"), num("rps")));
    EXPECTED.put("tskotel-red/6", List.of(time("time"), str("service"), num("error_pct")));
    EXPECTED.put("tskotel-red/7", List.of(time("time"), num("p50_ms"), num("p95_ms"), num("p99_ms")));
    EXPECTED.put(
        "tskotel-red/8",
        List.of(str("service"), str("operation"), num("requests"), num("error_pct"), num("p95_ms")));
    EXPECTED.put("tskotel-system/1", List.of(num("cpu")));
    EXPECTED.put("tskotel-system/2", List.of(num("memory")));
    EXPECTED.put("tskotel-system/3", List.of(num("disk")));
    EXPECTED.put("tskotel-system/4", List.of(num("hosts")));
    EXPECTED.put("tskotel-system/5", List.of(time("time"), str("service"), num("cpu")));
    EXPECTED.put("tskotel-system/6", List.of(time("time"), str("service"), num("memory")));
    EXPECTED.put("tskotel-system/7", List.of(time("time"), str("service"), num("disk")));
    EXPECTED.put(
        "tskotel-system/8",
        List.of(str("metric"), str("service"), str("host"), num("value"), time("last_seen")));
    EXPECTED.put("tskotel-business/1", List.of(num("revenue")));
    EXPECTED.put("tskotel-business/2", List.of(num("registrations")));
    EXPECTED.put("tskotel-business/3", List.of(num("success_pct")));
    EXPECTED.put("tskotel-business/4", List.of(num("active_users")));
    EXPECTED.put("tskotel-business/5", List.of(time("time"), num("revenue")));
    EXPECTED.put("tskotel-business/6", List.of(time("time"), num("registrations")));
    EXPECTED.put("tskotel-business/7", List.of(time("time"), str("service"), num("success_pct")));
    EXPECTED.put("tskotel-business/8", List.of(time("time"), str("service"), num("active_users")));
    EXPECTED.put("tskotel-logs/1", List.of(time("time"), str("level"), num("logs")));
    EXPECTED.put(
        "tskotel-logs/2",
        List.of(time("timestamp"), str("body"), str("level"), str("service"), str("traceID"),
            str("spanID"), new Col("labels", Kind.MAP)));
    EXPECTED.put(
        "tskotel-logs/3",
        List.of(str("service"), str("message"), num("occurrences"), time("last_seen")));
    EXPECTED.put("tskotel-traces/1", List.of(time("time"), str("service"), num("spans")));
    EXPECTED.put(
        "tskotel-traces/2",
        List.of(str("traceID"), str("service"), str("operation"), time("start"), num("duration_ms"),
            str("status")));
    EXPECTED.put(
        "tskotel-traces/3",
        List.of(str("traceID"), str("spanID"), str("parentSpanID"), str("serviceName"),
            str("operationName"), num("startTime"), num("duration"), new Col("tags", Kind.TAGS),
            new Col("serviceTags", Kind.TAGS), str("kind"), num("statusCode"),
            str("statusMessage")));
  }

  @BeforeAll
  static void writeFixture() throws Exception {
    store = TestStores.newStore(GrafanaProvisioningTest.class);
    database = store.config().database();
    new VizTelemetry(NOW).writeTo(store);
  }

  static JsonNode dashboard(String name) throws IOException {
    return new ObjectMapper().readTree(resource("grafana/dashboards/" + name + ".json"));
  }

  static InputStream resource(String name) {
    InputStream in = GrafanaProvisioningTest.class.getClassLoader().getResourceAsStream(name);
    assertThat(in).as(name).isNotNull();
    return in;
  }

  /** Text variables at their defaults, trace_id the fixture's trace, multi-value ones as given. */
  static Map<String, String> variables(JsonNode dashboard, String service) {
    Map<String, String> values = new HashMap<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      values.put(v.path("name").asText(), v.path("query").asText());
    }
    values.put("service", service);
    values.put("trace_id", VizTelemetry.TRACE_ID);
    return values;
  }

  static QueryResult run(String sql, Map<String, String> variables) throws Exception {
    GrafanaMacros.Expanded e = GrafanaMacros.expand(sql, database, FROM, TO, 60, variables);
    try {
      return store.query(e.sql(), e.params());
    } catch (Exception ex) {
      throw new AssertionError("panel SQL failed: " + ex.getMessage() + "\n" + e.sql(), ex);
    }
  }

  static Map<String, QueryResult> runAllPanels(String service) throws Exception {
    Map<String, QueryResult> results = new LinkedHashMap<>();
    for (String name : DASHBOARDS) {
      JsonNode d = dashboard(name);
      Map<String, String> variables = variables(d, service);
      for (JsonNode panel : d.path("panels")) {
        assertThat(panel.path("targets")).as(panel.path("title").asText()).hasSize(1);
        JsonNode target = panel.path("targets").get(0);
        String key = d.path("uid").asText() + "/" + panel.path("id").asInt();
        results.put(key, run(target.path("rawSql").asText(), variables));
      }
    }
    return results;
  }

  @Test
  void panels_allServices_returnExpectedColumnsAndRows() throws Exception {
    Map<String, QueryResult> results = runAllPanels(GrafanaMacros.ALL);
    assertThat(results.keySet()).containsExactlyElementsOf(EXPECTED.keySet());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, List<Col>> e : EXPECTED.entrySet()) {
      QueryResult r = results.get(e.getKey());
      List<String> names = e.getValue().stream().map(Col::name).toList();
      if (!r.columnNames().equals(names)) {
        problems.add(e.getKey() + ": columns " + r.columnNames() + " (expected: " + names + ")");
        continue;
      }
      for (int i = 0; i < names.size(); i++) {
        Col c = e.getValue().get(i);
        String type = r.columnTypes().get(i);
        if (!c.kind().type.matcher(type).matches()) {
          problems.add(e.getKey() + ": " + c.name() + " is " + type + " (expected: " + c.kind() + ")");
        }
      }
      if (r.rows().isEmpty()) {
        problems.add(e.getKey() + ": no rows for the fixture");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void panels_fixture_exactValues() throws Exception {
    Map<String, QueryResult> r = runAllPanels(GrafanaMacros.ALL);
    // Six server spans in the hour, two of them errors (status Error, HTTP 404).
    assertThat(value(r, "tskotel-red/1")).isEqualTo(6.0 / 3600);
    assertThat(value(r, "tskotel-red/2")).isEqualTo(200.0 / 6);
    assertThat(value(r, "tskotel-red/4")).isEqualTo(1.0);
    assertThat(r.get("tskotel-red/8").rows())
        .extracting(row -> row.subList(0, 4))
        .containsExactlyInAnyOrder(
            List.of("api", "POST /pay", 3L, 0.0), List.of("api", "GET /login", 3L, 66.67));
    assertThat(value(r, "tskotel-system/1")).isEqualTo((40 + 50 + 60 + 42.5 + 33) / 5);
    assertThat(value(r, "tskotel-system/4")).isEqualTo(2.0);
    assertThat(r.get("tskotel-system/8").rows())
        .extracting(row -> row.subList(0, 4))
        .contains(List.of("cpu_usage", "api", "host-a", 42.5), List.of("cpu_usage", "web", "host-b", 33.0));
    assertThat(value(r, "tskotel-business/1")).isEqualTo(VizTelemetry.REVENUE_INCREASE);
    assertThat(value(r, "tskotel-business/2")).isEqualTo(VizTelemetry.REGISTRATIONS_INCREASE);
    assertThat(value(r, "tskotel-business/3")).isEqualTo(98.0);
    assertThat(value(r, "tskotel-business/4")).isEqualTo(1500.0);
    assertThat(r.get("tskotel-logs/2").rows()).hasSize(4);
    assertThat(r.get("tskotel-logs/3").rows())
        .extracting(row -> row.subList(0, 3))
        .containsExactly(List.of("api", "payment failed: card declined", 2L));
    assertThat(r.get("tskotel-traces/2").rows()).hasSize(1);
    assertThat(r.get("tskotel-traces/2").rows().get(0).get(0)).isEqualTo(VizTelemetry.TRACE_ID);
    assertThat(r.get("tskotel-traces/3").rows()).hasSize(7);
  }

  @Test
  void panels_oneService_filterApplies() throws Exception {
    Map<String, QueryResult> r = runAllPanels("web");
    assertThat(value(r, "tskotel-system/1")).isEqualTo(33.0);
    assertThat(r.get("tskotel-red/5").rows()).isEmpty();
    assertThat(r.get("tskotel-logs/2").rows()).hasSize(1);
  }

  @Test
  void variables_queryVariables_listServices() throws Exception {
    TreeSet<String> seen = new TreeSet<>();
    for (String name : DASHBOARDS) {
      JsonNode d = dashboard(name);
      for (JsonNode v : d.path("templating").path("list")) {
        if (!v.path("type").asText().equals("query")) {
          continue;
        }
        QueryResult result = run(v.path("query").asText(), variables(d, GrafanaMacros.ALL));
        assertThat(result.columnTypes()).hasSize(1);
        assertThat(result.columnTypes().get(0)).matches(Kind.STR.type);
        result.rows().forEach(row -> seen.add(d.path("uid").asText() + ":" + row.get(0)));
      }
    }
    assertThat(seen)
        .containsExactly(
            "tskotel-business:api", "tskotel-business:web", "tskotel-logs:api", "tskotel-logs:web",
            "tskotel-red:api", "tskotel-system:api", "tskotel-system:web", "tskotel-traces:api");
  }

  @Test
  void panels_searchVariable_isBoundNotSpliced() throws Exception {
    JsonNode d = dashboard("tskotel-logs");
    Map<String, String> variables = variables(d, GrafanaMacros.ALL);
    variables.put("search", "') OR 1=1 --");
    QueryResult r = run(d.path("panels").get(1).path("targets").get(0).path("rawSql").asText(), variables);
    assertThat(r.rows()).isEmpty();
  }

  @Test
  void panels_everyTarget_usesTheProvisionedDatasource() throws Exception {
    JsonNode ds =
        new YAMLMapper()
            .readTree(resource("grafana/provisioning/datasources/tskotel-clickhouse.yaml"))
            .path("datasources")
            .get(0);
    String uid = ds.path("uid").asText();
    for (String name : DASHBOARDS) {
      for (JsonNode panel : dashboard(name).path("panels")) {
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(uid);
        assertThat(panel.path("targets").get(0).path("datasource").path("uid").asText()).isEqualTo(uid);
        assertThat(panel.path("targets").get(0).path("editorType").asText()).isEqualTo("sql");
      }
    }
  }

  @Test
  void datasource_clickHouseInOtelMode() throws Exception {
    JsonNode ds =
        new YAMLMapper()
            .readTree(resource("grafana/provisioning/datasources/tskotel-clickhouse.yaml"))
            .path("datasources")
            .get(0);
    assertThat(ds.path("type").asText()).isEqualTo("grafana-clickhouse-datasource");
    JsonNode json = ds.path("jsonData");
    assertThat(json.path("logs").path("otelEnabled").asBoolean()).isTrue();
    assertThat(json.path("logs").path("defaultTable").asText()).isEqualTo("otel_logs");
    assertThat(json.path("traces").path("otelEnabled").asBoolean()).isTrue();
    assertThat(json.path("traces").path("defaultTable").asText()).isEqualTo("otel_traces");
    assertThat(json.path("traces").path("durationUnit").asText()).isEqualTo("nanoseconds");
    assertThat(ds.path("secureJsonData").path("password").asText())
        .isEqualTo("${TSKOTEL_CLICKHOUSE_PASSWORD}");
    JsonNode provider =
        new YAMLMapper()
            .readTree(resource("grafana/provisioning/dashboards/tskotel.yaml"))
            .path("providers")
            .get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText()).isNotEmpty();
  }

  static double value(Map<String, QueryResult> results, String key) {
    QueryResult r = results.get(key);
    assertThat(r.rows()).as(key).hasSize(1);
    return ((Number) r.rows().get(0).get(0)).doubleValue();
  }
}
