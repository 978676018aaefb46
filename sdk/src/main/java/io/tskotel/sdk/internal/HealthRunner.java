package io.tskotel.sdk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tskotel.sdk.HealthCheck;
import io.tskotel.sdk.HealthReport;
import io.tskotel.sdk.HealthResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the checks side by side, each bounded by the timeout, and renders the report and the three endpoints'
 * answers. Thread-safe.
 */
public final class HealthRunner implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, HealthCheck> checks;
  private final Duration timeout;
  private final Clock clock;
  private final TskSettings.Health paths;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tskotel-health-check");
    t.setDaemon(true);
    return t;
  });

  public HealthRunner(Map<String, HealthCheck> checks, TskSettings.Health paths, Clock clock) {
    this.checks = Map.copyOf(checks);
    this.order = List.copyOf(checks.keySet());
    this.timeout = paths.timeout();
    this.paths = paths;
    this.clock = clock;
  }

  private final List<String> order;

  public List<String> names() {
    return order;
  }

  /** Every check. */
  public HealthReport run() {
    return run(order);
  }

  /** The named checks only (the seed's check_external_services runs a subset). */
  public HealthReport run(List<String> names) {
    Map<String, Future<HealthCheck.Result>> running = new LinkedHashMap<>();
    long start = System.nanoTime();
    for (String name : names) {
      HealthCheck check = checks.get(name);
      running.put(name, executor.submit(() -> {
        long t0 = System.nanoTime();
        HealthCheck.Result r = check.check();
        if (r == null) {
          r = HealthCheck.Result.unhealthy("check returned no result");
        }
        return r.withResponseTime(Duration.ofNanos(System.nanoTime() - t0));
      }));
    }
    Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
    boolean healthy = true;
    for (Map.Entry<String, Future<HealthCheck.Result>> e : running.entrySet()) {
      HealthCheck.Result r;
      try {
        long left = timeout.toNanos() - (System.nanoTime() - start);
        r = e.getValue().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException ex) {
        e.getValue().cancel(true);
        r = HealthCheck.Result.unhealthy("timed out after " + timeout.toMillis() + " ms");
      } catch (ExecutionException ex) {
        Throwable cause = ex.getCause();
        r = HealthCheck.Result.unhealthy(cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        r = HealthCheck.Result.unhealthy("interrupted");
      }
      healthy &= r.isHealthy();
      results.put(e.getKey(), r);
    }
    return new HealthReport(
        healthy ? HealthCheck.Status.HEALTHY : HealthCheck.Status.UNHEALTHY, clock.instant(), results);
  }

  /** The answer for {@code path}: health and readiness run the checks; liveness only says the process runs. */
  public HealthResponse respond(String path) {
    if (path.equals(paths.healthPath()) || path.equals(paths.readyPath())) {
      HealthReport report = run();
      return new HealthResponse(report.isHealthy() ? 200 : 503, json(report));
    }
    if (path.equals(paths.livePath())) {
      return new HealthResponse(200, "{\"status\":\"healthy\",\"timestamp\":" + seconds(clock.instant()) + "}");
    }
    return new HealthResponse(404, "{\"error\":\"not found\"}");
  }

  public TskSettings.Health paths() {
    return paths;
  }

  public static String json(HealthReport report) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("status", report.status().wireName());
      g.writeNumberField("timestamp", seconds(report.timestamp()));
      g.writeObjectFieldStart("checks");
      for (Map.Entry<String, HealthCheck.Result> e : report.checks().entrySet()) {
        HealthCheck.Result r = e.getValue();
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("status", r.status().wireName());
        if (!r.details().isEmpty()) {
          g.writeObjectFieldStart("details");
          for (Map.Entry<String, Object> d : r.details().entrySet()) {
            g.writeFieldName(d.getKey());
            Object v = d.getValue();
            if (v instanceof Number n) {
              g.writeNumber(n.doubleValue());
            } else if (v instanceof Boolean b) {
              g.writeBoolean(b);
            } else {
              g.writeString(String.valueOf(v));
            }
          }
          g.writeEndObject();
        }
        if (r.error() != null) {
          g.writeStringField("error", r.error());
        }
        if (r.responseTime() != null) {
          g.writeNumberField("response_time", r.responseTime().toNanos() / 1e9);
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
