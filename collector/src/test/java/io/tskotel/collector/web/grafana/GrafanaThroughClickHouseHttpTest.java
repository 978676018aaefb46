package io.tskotel.collector.web.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.clickhouse.internal.ClickHouseHttpServer;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every provisioned panel and variable query, expanded the way Grafana's ClickHouse datasource sends it
 * (macros and variables as literal SQL, tables unqualified, the datasource's database as the
 * {@code database} parameter), run by the read-only user through the ClickHouse HTTP endpoint.
 */
class GrafanaThroughClickHouseHttpTest {
  private static final Pattern PARAM = Pattern.compile("\\{(g_db|g_from|g_to|g_interval_s|v_[a-z_]+):([A-Za-z0-9]+)}(\\.)?");

  static ClickHouseStore store;
  static ClickHouseHttpServer server;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    store = TestStores.newStore(GrafanaThroughClickHouseHttpTest.class);
    new VizTelemetry(GrafanaProvisioningTest.NOW).writeTo(store);
    server = new ClickHouseHttpServer("127.0.0.1", 0, store.engine(), "grafana", "gf-pass", null, null,
        store.config().database(), Duration.ofSeconds(30), 100_000);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  /** Grafana writes values into the text: numbers as they are, strings quoted with ' doubled. */
  static String asGrafana(String sql, Map<String, String> variables) {
    GrafanaMacros.Expanded e = GrafanaMacros.expand(sql, "unused", GrafanaProvisioningTest.FROM,
        GrafanaProvisioningTest.TO, 60, variables);
    Matcher m = PARAM.matcher(e.sql());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String literal = name.equals("g_db") ? ""
          : m.group(2).equals("String") ? "'" + e.params().get(name).replace("\\", "\\\\").replace("'", "''") + "'"
          : e.params().get(name) + (m.group(3) == null ? "" : ".");
      m.appendReplacement(sb, Matcher.quoteReplacement(literal));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static JsonNode run(String sql) throws Exception {
    String q = "?database=" + store.config().database() + "&default_format=JSON";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/" + q))
        .header("X-ClickHouse-User", "grafana").header("X-ClickHouse-Key", "gf-pass")
        .POST(HttpRequest.BodyPublishers.ofString(sql)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body() + "\n" + sql).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void panels_allServices_expectedColumnsAndRows() throws Exception {
    List<String> problems = new ArrayList<>();
    int panels = 0;
    for (String name : GrafanaProvisioningTest.DASHBOARDS) {
      JsonNode d = GrafanaProvisioningTest.dashboard(name);
      Map<String, String> variables = GrafanaProvisioningTest.variables(d, GrafanaMacros.ALL);
      for (JsonNode panel : d.path("panels")) {
        String key = d.path("uid").asText() + "/" + panel.path("id").asInt();
        JsonNode result = run(asGrafana(panel.path("targets").get(0).path("rawSql").asText(), variables));
        List<String> names = new ArrayList<>();
        result.path("meta").forEach(c -> names.add(c.path("name").asText()));
        List<String> expected = GrafanaProvisioningTest.EXPECTED.get(key).stream()
            .map(GrafanaProvisioningTest.Col::name).toList();
        if (!names.equals(expected)) {
          problems.add(key + ": columns " + names + " (expected: " + expected + ")");
        }
        if (result.path("rows").asLong() == 0) {
          problems.add(key + ": no rows");
        }
        panels++;
      }
    }
    assertThat(problems).isEmpty();
    assertThat(panels).isEqualTo(GrafanaProvisioningTest.EXPECTED.size());
  }

  @Test
  void variables_listServices() throws Exception {
    int queries = 0;
    for (String name : GrafanaProvisioningTest.DASHBOARDS) {
      JsonNode d = GrafanaProvisioningTest.dashboard(name);
      for (JsonNode v : d.path("templating").path("list")) {
        if (v.path("type").asText().equals("query")) {
          JsonNode result = run(asGrafana(v.path("query").asText(), GrafanaProvisioningTest.variables(d, GrafanaMacros.ALL)));
          assertThat(result.path("rows").asLong()).isPositive();
          queries++;
        }
      }
    }
    assertThat(queries).isPositive();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
