package io.tskotel.collector.api;

import static io.tskotel.collector.api.AdminServerTest.enc;
import static io.tskotel.collector.query.ExplorerFixture.CART;
import static io.tskotel.collector.query.ExplorerFixture.FAST;
import static io.tskotel.collector.query.ExplorerFixture.NO_SUCH;
import static io.tskotel.collector.query.ExplorerFixture.STOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tskotel.collector.query.QueryFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/v1/traces}, {@code /api/v1/traces/{id}} and {@code /api/v1/logs} over real HTTP, as the contract. */
class ExplorerRoutesTest {
  @RegisterExtension static final ApiServerFixture api = ApiServerFixture.explorer(ExplorerRoutesTest.class);

  private static AdminServerTest.Response get(String path) throws Exception {
    return AdminServerTest.get(api.url(), path, ApiFixture.TOKEN);
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  @Test
  void traces_searchAsTheContract() throws Exception {
    AdminServerTest.Response r = get("/api/v1/traces?service=checkout&limit=1");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("limit").asInt()).isEqualTo(1);
    assertThat(r.json().path("offset").asInt()).isZero();
    assertThat(r.json().path("hasMore").asBoolean()).isTrue();
    JsonNode item = r.json().path("items").get(0);
    assertThat(item.path("traceId").asText()).isEqualTo(FAST);
    assertThat(item.path("rootSpanId").asText()).isEqualTo("c000000000000001");
    assertThat(item.path("service").asText()).isEqualTo("checkout");
    assertThat(item.path("name").asText()).isEqualTo("GET /cart");
    assertThat(item.path("start").asText()).isEqualTo("2026-03-10T11:55:00.000000000Z");
    assertThat(item.path("durationMs").asDouble()).isEqualTo(5.0);
    assertThat(item.path("spanCount").asInt()).isEqualTo(1);
    assertThat(item.path("errorCount").asInt()).isEqualTo(1);
    assertThat(item.path("services").toString()).isEqualTo("[\"checkout\"]");

    AdminServerTest.Response filtered = get("/api/v1/traces?attr=" + enc("deployment.environment=prod")
        + "&attr=" + enc("service.name=inventory") + "&minDurationMs=100&sort=slowest&from="
        + enc("2026-03-10T11:00:00Z") + "&to=" + (QueryFixture.NOW.toEpochMilli()));
    assertThat(texts(filtered.json().path("items"), "traceId")).containsExactly(STOCK);
    // the filters hold for one span: CART's failed span is "charge", not /cart
    assertThat(texts(get("/api/v1/traces?error=true&name=" + enc("/cart")).json().path("items"), "traceId"))
        .containsExactly(FAST);
    // empty values, as a form sends them, are as if not given
    assertThat(texts(get("/api/v1/traces?service=&name=&minDurationMs=&offset=1").json().path("items"), "traceId"))
        .hasSize(3);
  }

  @Test
  void traces_badParametersAre400WithEveryError() throws Exception {
    AdminServerTest.Response r =
        get("/api/v1/traces?minDurationMs=-1&limit=abc&sort=fastest&error=maybe&attr=novalue&from=yesterday&x=1");
    assertThat(r.status()).isEqualTo(400);
    String error = r.json().path("error").asText();
    assertThat(error.split("; ")).containsExactlyInAnyOrder(
        "error: \"maybe\" (expected: true or false)",
        "minDurationMs: -1 (expected: >= 0)",
        "from: \"yesterday\" (expected: RFC 3339 such as 2026-12-01T23:00:00Z, or epoch milliseconds)",
        "sort: \"fastest\" (expected: newest or slowest)",
        "limit: \"abc\" (expected: an integer)",
        "attr: \"novalue\" (expected: key=value)",
        "unknown parameters [x] (expected: attr, error, from, limit, minDurationMs, name, offset, service, sort, to)");
    assertThat(get("/api/v1/traces?limit=101").json().path("error").asText())
        .isEqualTo("limit: 101 (expected: 1..100)");
  }

  @Test
  void trace_waterfallAsTheContract() throws Exception {
    AdminServerTest.Response r = get("/api/v1/traces/" + CART);
    assertThat(r.status()).isEqualTo(200);
    JsonNode t = r.json();
    assertThat(t.path("traceId").asText()).isEqualTo(CART);
    assertThat(t.path("start").asText()).isEqualTo("2026-03-10T11:50:00.000000000Z");
    assertThat(t.path("durationMs").asDouble()).isEqualTo(40.0);
    assertThat(texts(t.path("spans"), "spanId"))
        .containsExactly("a000000000000001", "a000000000000002", "a000000000000003", "a000000000000004");
    assertThat(texts(t.path("spans"), "depth")).containsExactly("0", "1", "1", "2");
    JsonNode root = t.path("spans").get(0);
    assertThat(root.path("parentSpanId").asText()).isEmpty();
    assertThat(root.path("kind").asText()).isEqualTo("Server");
    assertThat(root.path("offsetMs").asDouble()).isZero();
    assertThat(root.path("attributes").path("http.route").asText()).isEqualTo("/cart");
    assertThat(root.path("resourceAttributes").path("service.name").asText()).isEqualTo("checkout");
    JsonNode charge = t.path("spans").get(2);
    assertThat(charge.path("status").asText()).isEqualTo("Error");
    assertThat(charge.path("statusMessage").asText()).isEqualTo("card expired");
    assertThat(charge.path("events").get(0).path("name").asText()).isEqualTo("exception");
    assertThat(charge.path("events").get(0).path("time").asText()).isEqualTo("2026-03-10T11:50:00.018000000Z");
    assertThat(charge.path("events").get(0).path("offsetMs").asDouble()).isEqualTo(18.0);
    assertThat(charge.path("links").get(0).path("traceId").asText()).isEqualTo(STOCK);
    assertThat(charge.path("links").get(0).path("attributes").path("link.kind").asText()).isEqualTo("follows");
    assertThat(texts(t.path("logs"), "body"))
        .containsExactly("cart loaded for user 42", "Payment declined: card EXPIRED for order-7");
    assertThat(t.path("logs").get(1).path("severityNumber").asInt()).isEqualTo(17);
  }

  @Test
  void trace_unknownIs404AndBadIdIs400() throws Exception {
    AdminServerTest.Response missing = get("/api/v1/traces/" + NO_SUCH);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").asText()).isEqualTo("trace " + NO_SUCH + " not found");
    AdminServerTest.Response bad = get("/api/v1/traces/not-hex");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").asText()).isEqualTo("traceId: \"not-hex\" (expected: 32 hex digits)");
  }

  @Test
  void logs_searchAsTheContract() throws Exception {
    AdminServerTest.Response r = get("/api/v1/logs?q=expired&severity=warn");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("limit").asInt()).isEqualTo(50);
    assertThat(r.json().path("hasMore").asBoolean()).isFalse();
    JsonNode log = r.json().path("items").get(0);
    assertThat(r.json().path("items").size()).isEqualTo(1);
    assertThat(log.path("time").asText()).isEqualTo("2026-03-10T11:50:00.018000000Z");
    assertThat(log.path("service").asText()).isEqualTo("payments");
    assertThat(log.path("severity").asText()).isEqualTo("ERROR");
    assertThat(log.path("severityNumber").asInt()).isEqualTo(17);
    assertThat(log.path("body").asText()).isEqualTo("Payment declined: card EXPIRED for order-7");
    assertThat(log.path("traceId").asText()).isEqualTo(CART);
    assertThat(log.path("spanId").asText()).isEqualTo("a000000000000003");
    assertThat(log.path("attributes").isObject()).isTrue();
    assertThat(log.path("resourceAttributes").path("service.name").asText()).isEqualTo("payments");

    AdminServerTest.Response page = get("/api/v1/logs?service=ticker&limit=2");
    assertThat(texts(page.json().path("items"), "body")).containsExactly("tick 5", "tick 4");
    String last = page.json().path("items").get(1).path("time").asText();
    AdminServerTest.Response next = get("/api/v1/logs?service=ticker&limit=2&before=" + enc(last));
    assertThat(texts(next.json().path("items"), "body")).containsExactly("tick 3", "tick 2");
    AdminServerTest.Response tail = get("/api/v1/logs?service=ticker&after=" + enc(last));
    assertThat(texts(tail.json().path("items"), "body")).containsExactly("tick 5");
    assertThat(texts(get("/api/v1/logs?traceId=" + CART).json().path("items"), "body")).hasSize(2);
  }

  @Test
  void logs_badParametersAre400WithEveryError() throws Exception {
    AdminServerTest.Response r = get("/api/v1/logs?severity=loud&limit=0&traceId=123&before=soon&service=a&service=b");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText().split("; ")).containsExactlyInAnyOrder(
        "service: given 2 times (expected: once)",
        "severity: \"loud\" (expected: TRACE, DEBUG, INFO, WARN, ERROR or FATAL)",
        "before: \"soon\" (expected: RFC 3339 such as 2026-12-01T23:00:00Z, or epoch milliseconds)",
        "limit: 0 (expected: 1..500)",
        "traceId: \"123\" (expected: 32 hex digits)");
  }

  @Test
  void everyEndpoint_needsTheToken() throws Exception {
    for (String path : List.of("/api/v1/traces", "/api/v1/traces/" + CART, "/api/v1/logs")) {
      AdminServerTest.Response r = AdminServerTest.get(api.url(), path, null);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.body()).doesNotContain("checkout");
      assertThat(AdminServerTest.get(api.url(), path, "wrong").status()).as(path).isEqualTo(401);
    }
  }
}
