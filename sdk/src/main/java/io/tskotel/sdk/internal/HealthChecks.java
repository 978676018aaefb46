package io.tskotel.sdk.internal;

import io.tskotel.sdk.HealthCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import redis.clients.jedis.params.SetParams;

/** The seed's three kinds of checks. */
public final class HealthChecks {
  private static final String REDIS_KEY = "tskotel:health_check";

  private HealthChecks() {}

  public static HealthCheck jdbc(DataSource dataSource, Duration timeout) {
    int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    return () -> {
      try (Connection c = dataSource.getConnection()) {
        if (!c.isValid(seconds)) {
          return HealthCheck.Result.unhealthy("connection is not valid");
        }
        DatabaseMetaData meta = c.getMetaData();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connection", "OK");
        details.put("database", meta.getDatabaseProductName());
        return HealthCheck.Result.healthy(details);
      }
    };
  }

  public static HealthCheck redis(redis.clients.jedis.UnifiedJedis redis) {
    return () -> {
      String value = Long.toString(System.nanoTime());
      redis.set(REDIS_KEY, value, SetParams.setParams().ex(10));
      String read = redis.get(REDIS_KEY);
      if (!value.equals(read)) {
        return HealthCheck.Result.unhealthy("Cache read/write test failed");
      }
      return HealthCheck.Result.healthy(Map.of("connection", "OK", "read_write", "OK"));
    };
  }

  public static HealthCheck http(URI url, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    return () -> {
      long start = System.nanoTime();
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      double seconds = (System.nanoTime() - start) / 1e9;
      if (response.statusCode() / 100 != 2) {
        return HealthCheck.Result.unhealthy("HTTP " + response.statusCode());
      }
      return HealthCheck.Result.healthy(Map.of("status_code", response.statusCode(), "response_time", seconds));
    };
  }
}
