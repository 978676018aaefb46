package io.tskotel.collector.bench;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What {@link LoadGenerator} sends: which signal over which protocol, how large and how realistic each
 * request is, how many at once and how fast, and for how long.
 *
 * @param rate requests per second over all connections; 0 sends as fast as the in-flight window allows
 * @param duration how long to send; with {@code requests} > 0, whichever ends first
 * @param requests how many requests to send in all; 0 for no limit (the duration bounds the run)
 * @param statusUrl the collector's {@code /status} URL, read to follow committed rows; null not to follow
 */
public record LoadConfig(
    Signal signal,
    Protocol protocol,
    URI endpoint,
    @Nullable String token,
    int connections,
    int inFlight,
    double rate,
    Duration duration,
    long requests,
    int itemsPerRequest,
    int services,
    int routes,
    double errorRatio,
    int maxRetries,
    @Nullable URI statusUrl,
    @Nullable String statusToken,
    Duration drainTimeout) {

  /** The OTLP signal to send. */
  public enum Signal {
    TRACES, METRICS, LOGS;

    String path() {
      return "/v1/" + name().toLowerCase(Locale.ROOT);
    }
  }

  /** The transport and its encoding. */
  public enum Protocol {
    GRPC, HTTP_PROTOBUF, HTTP_JSON
  }

  public LoadConfig {
    requireNonNull(signal, "signal");
    requireNonNull(protocol, "protocol");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(duration, "duration");
    requireNonNull(drainTimeout, "drainTimeout");
  }

  /** Every invalid value, each as {@code "name: value (expected: ...)"}; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (connections < 1) {
      errors.add("connections: " + connections + " (expected: > 0)");
    }
    if (inFlight < 1) {
      errors.add("inFlight: " + inFlight + " (expected: > 0)");
    }
    if (rate < 0 || Double.isNaN(rate)) {
      errors.add("rate: " + rate + " (expected: >= 0, 0 for as fast as possible)");
    }
    if (duration.isNegative() || duration.isZero()) {
      errors.add("duration: " + duration + " (expected: > 0)");
    }
    if (requests < 0) {
      errors.add("requests: " + requests + " (expected: >= 0, 0 for no limit)");
    }
    if (itemsPerRequest < 1) {
      errors.add("itemsPerRequest: " + itemsPerRequest + " (expected: > 0)");
    }
    if (services < 1) {
      errors.add("services: " + services + " (expected: > 0)");
    }
    if (routes < 1) {
      errors.add("routes: " + routes + " (expected: > 0)");
    }
    if (!(errorRatio >= 0 && errorRatio <= 1)) {
      errors.add("errorRatio: " + errorRatio + " (expected: 0 to 1)");
    }
    if (maxRetries < 0) {
      errors.add("maxRetries: " + maxRetries + " (expected: >= 0)");
    }
    String scheme = endpoint.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
      errors.add("endpoint: " + endpoint + " (expected: http://host:port or https://host:port)");
    }
    return errors;
  }
}
