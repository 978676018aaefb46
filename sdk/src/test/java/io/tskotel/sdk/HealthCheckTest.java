package io.tskotel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tskotel.sdk.testing.RedisServer;
import io.tskotel.tsk.Tsk;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's health checks against real parts: a Debian redis-server started here, HTTP servers on loopback
 * (healthy, failing, hanging, and a port nobody listens on), an H2 database through JDBC, and the endpoints
 * served by the built-in server.
 */
class HealthCheckTest {
  @TempDir static Path dir;

  private static RedisServer redis;
  private static HttpServer http;
  private static final CountDownLatch release = new CountDownLatch(1);
  private static int closedPort;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start(dir);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(Executors.newCachedThreadPool());
    http.createContext("/ok", e -> {
      e.sendResponseHeaders(200, -1);
      e.close();
    });
    http.createContext("/fail", e -> {
      e.sendResponseHeaders(503, -1);
      e.close();
    });
    http.createContext("/hang", e -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      e.sendResponseHeaders(200, -1);
      e.close();
    });
    http.start();
    closedPort = RedisServer.freePort();
    // Load H2 once here: a cold driver load on a busy machine must not eat into the checks' timeout.
    h2("jdbc:h2:mem:warmup").getConnection().close();
  }

  @AfterAll
  static void stop() throws IOException {
    release.countDown();
    if (http != null) {
      http.stop(0);
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  private static JdbcDataSource h2(String url) {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    return ds;
  }

  private static String tsk(String healthChecks) {
    return "[telemetry]\nexporter: \"none\"\n[health_checks]\ntimeout: \"3s\"\n" + healthChecks;
  }

  @Test
  void checkHealth_realDependencies_healthyAndUnhealthyEach() {
    String config = tsk("redis_url: \"redis://127.0.0.1:" + redis.port() + "\"\n"
        + "[health_checks.external_services]\n"
        + "api_gateway: \"" + url("/ok") + "\"\n"
        + "payment_service: \"" + url("/fail") + "\"\n"
        + "email_service: \"" + url("/hang") + "\"\n"
        + "search_service: \"http://127.0.0.1:" + closedPort + "/health\"\n");
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(config)).environment(Map.of())
        .healthCheck("database", HealthCheck.jdbc(h2("jdbc:h2:mem:health;DB_CLOSE_DELAY=-1"), Duration.ofSeconds(1)))
        .healthCheck("warehouse", HealthCheck.jdbc(h2("jdbc:h2:tcp://127.0.0.1:" + closedPort + "/x"),
            Duration.ofSeconds(1)))
        .build()) {
      long start = System.nanoTime();
      HealthReport report = t.checkHealth();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(report.status()).isEqualTo(HealthCheck.Status.UNHEALTHY);
      Map<String, HealthCheck.Result> c = report.checks();
      assertThat(c.keySet()).containsExactly("database", "warehouse", "cache", "api_gateway", "payment_service",
          "email_service", "search_service");
      assertThat(c.get("database").isHealthy()).as("%s", c.get("database")).isTrue();
      assertThat(c.get("database").details()).containsEntry("connection", "OK").containsEntry("database", "H2");
      assertThat(c.get("warehouse").isHealthy()).isFalse();
      assertThat(c.get("warehouse").error()).isNotBlank();
      assertThat(c.get("cache").isHealthy()).isTrue();
      assertThat(c.get("cache").details()).containsEntry("read_write", "OK");
      assertThat(c.get("api_gateway").isHealthy()).isTrue();
      assertThat(c.get("api_gateway").details()).containsEntry("status_code", 200).containsKey("response_time");
      assertThat(c.get("payment_service").error()).isEqualTo("HTTP 503");
      assertThat(c.get("email_service").error()).startsWith("timed out after 3000 ms");
      assertThat(c.get("search_service").error()).contains("ConnectException");
      assertThat(c.values()).allSatisfy(r -> assertThat(r.responseTime() == null || !r.responseTime().isNegative()));
      // Side by side, each bounded by the timeout: the hanging service costs one timeout, not the sum.
      assertThat(took).isLessThan(Duration.ofSeconds(8));
    }
  }

  @Test
  void cacheCheck_redisGoesAway_unhealthyThenHealthyWhenBack() throws Exception {
    Path own = dir.resolve("own");
    java.nio.file.Files.createDirectories(own);
    RedisServer mine = RedisServer.start(own);
    try (TskTelemetry t = TskTelemetry.fromString(tsk("redis_url: \"redis://127.0.0.1:" + mine.port() + "\"\n"))) {
      assertThat(t.checkHealth().isHealthy()).isTrue();
      mine.close();
      HealthReport down = t.checkHealth();
      assertThat(down.isHealthy()).isFalse();
      assertThat(down.checks().get("cache").error()).isNotBlank();
    } finally {
      mine.close();
    }
  }

  @Test
  void builtInServer_servesHealthReadyLive() throws Exception {
    String config = tsk("port: 0\n[health_checks.external_services]\nupstream: \"" + url("/fail") + "\"\n");
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(config)).environment(Map.of()).build()) {
      String base = "http://127.0.0.1:" + t.healthPort();
      HttpResponse<String> health = get(base + "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(health.body()).startsWith("{\"status\":\"unhealthy\",\"timestamp\":")
          .contains("\"upstream\":{\"status\":\"unhealthy\",\"error\":\"HTTP 503\"");
      assertThat(get(base + "/ready").statusCode()).isEqualTo(503);
      HttpResponse<String> live = get(base + "/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).startsWith("{\"status\":\"healthy\"");
      assertThat(get(base + "/nope").statusCode()).isEqualTo(404);
      HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void healthResponse_mountable_healthyAnswers200() {
    String config = tsk("health_endpoint: \"/healthz\"\n[health_checks.external_services]\nup: \"" + url("/ok") + "\"\n");
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(config)).environment(Map.of()).build()) {
      HealthResponse r = t.healthResponse("/healthz");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).startsWith("{\"status\":\"healthy\"");
      assertThat(t.healthResponse("/health").statusCode()).isEqualTo(404);
      assertThat(t.healthPort()).isEqualTo(-1);
    }
  }

  @Test
  void check_throwsOrReturnsNull_unhealthyWithTheReason() {
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(tsk(""))).environment(Map.of())
        .healthCheck("broken", () -> {
          throw new IllegalStateException("disk gone");
        })
        .healthCheck("silent", () -> null)
        .build()) {
      HealthReport r = t.checkHealth();
      assertThat(r.checks().get("broken").error()).isEqualTo("IllegalStateException: disk gone");
      assertThat(r.checks().get("silent").error()).isEqualTo("check returned no result");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
