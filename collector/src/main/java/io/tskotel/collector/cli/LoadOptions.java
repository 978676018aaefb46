package io.tskotel.collector.cli;

import io.tskotel.collector.bench.LoadConfig;
import io.tskotel.tsk.internal.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** How load is sent: shared by {@code tskotel loadgen} and {@code tskotel bench}. */
final class LoadOptions {
  @Option(names = "--protocol", defaultValue = "grpc", converter = ProtocolConverter.class,
      description = "grpc, http-protobuf or http-json (default: ${DEFAULT-VALUE}).")
  LoadConfig.Protocol protocol;

  @Option(names = "--token", defaultValue = "${env:TSKOTEL_OTLP_TOKEN}",
      description = "Bearer token for the receivers (default: the TSKOTEL_OTLP_TOKEN environment variable).")
  @Nullable String token;

  @Option(names = "--connections", defaultValue = "1", description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--in-flight", defaultValue = "8",
      description = "Requests in flight at most, over all connections (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--rate", defaultValue = "0",
      description = "Requests per second; 0 sends as fast as the in-flight window allows (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
      description = "How long to send, e.g. 20s, 2m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--requests", defaultValue = "0",
      description = "Stop after this many requests; 0 for no limit (default: ${DEFAULT-VALUE}).")
  long requests;

  @Option(names = "--items", defaultValue = "500",
      description = "Spans, points or log records per request (default: ${DEFAULT-VALUE}).")
  int items;

  @Option(names = "--services", defaultValue = "3", description = "Distinct services (default: ${DEFAULT-VALUE}).")
  int services;

  @Option(names = "--routes", defaultValue = "10", description = "Distinct HTTP routes (default: ${DEFAULT-VALUE}).")
  int routes;

  @Option(names = "--error-ratio", defaultValue = "0.05",
      description = "Share of error spans / error logs (default: ${DEFAULT-VALUE}).")
  double errorRatio;

  @Option(names = "--max-retries", defaultValue = "10",
      description = "Retries of a request refused as retryable (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(names = "--drain-timeout", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long to wait for answers and for the store to catch up (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  LoadConfig config(LoadConfig.Signal signal, @Nullable URI endpoint, @Nullable URI statusUrl,
      @Nullable String statusToken) {
    URI target = endpoint != null ? endpoint
        : URI.create(protocol == LoadConfig.Protocol.GRPC ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318");
    return new LoadConfig(signal, protocol, target, token, connections, inFlight, rate, duration, requests, items,
        services, routes, errorRatio, maxRetries, statusUrl, statusToken, drainTimeout);
  }

  static final class SignalConverter implements ITypeConverter<LoadConfig.Signal> {
    @Override
    public LoadConfig.Signal convert(String value) {
      return LoadConfig.Signal.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }

  static final class ProtocolConverter implements ITypeConverter<LoadConfig.Protocol> {
    @Override
    public LoadConfig.Protocol convert(String value) {
      return LoadConfig.Protocol.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Durations as TSK writes them: {@code 500ms}, {@code 20s}, {@code 2m}, {@code 1h30m}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value.trim());
      if (d == null) {
        throw new IllegalArgumentException("duration: " + value + " (expected: e.g. 500ms, 20s, 2m, 1h30m)");
      }
      return d;
    }
  }
}
