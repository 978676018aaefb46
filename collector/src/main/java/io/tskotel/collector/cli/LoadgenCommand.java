package io.tskotel.collector.cli;

import io.tskotel.collector.loadgen.LoadConfig;
import io.tskotel.collector.loadgen.LoadGenerator;
import io.tskotel.collector.loadgen.LoadReport;
import io.tskotel.tsk.internal.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tskotel loadgen}: realistic OTLP load against a collector, with live progress and, when the admin
 * API is reachable, the rate at which the store committed what was acknowledged. Exit 0 when every request
 * was acknowledged (and, when followed, written), 1 otherwise, 2 on bad options.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = {
      "Send realistic OTLP load (HTTP-server spans, gauge points or log records) to a collector,",
      "print progress every second and a summary, then follow /status until the store has written it all."
    })
public final class LoadgenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--signal", defaultValue = "traces", converter = SignalConverter.class,
      description = "traces, metrics or logs (default: ${DEFAULT-VALUE}).")
  LoadConfig.Signal signal;

  @Option(names = "--protocol", defaultValue = "grpc", converter = ProtocolConverter.class,
      description = "grpc, http-protobuf or http-json (default: ${DEFAULT-VALUE}).")
  LoadConfig.Protocol protocol;

  @Option(names = "--endpoint",
      description = "Collector OTLP endpoint (default: http://127.0.0.1:4317 for gRPC, :4318 for HTTP).")
  @Nullable URI endpoint;

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

  @Option(names = "--status-url", defaultValue = "http://127.0.0.1:8080/status",
      description = "The collector's /status, followed for committed rows; 'none' not to (default: ${DEFAULT-VALUE}).")
  String statusUrl;

  @Option(names = "--admin-token", defaultValue = "${env:" + ApiOptions.TOKEN_ENV + "}",
      description = "Bearer token for /status (default: the " + ApiOptions.TOKEN_ENV + " environment variable).")
  @Nullable String adminToken;

  @Option(names = "--drain-timeout", defaultValue = "120s", converter = DurationConverter.class,
      description = "How long to wait for answers and for the store to catch up (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI target = endpoint != null ? endpoint
        : URI.create(protocol == LoadConfig.Protocol.GRPC ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318");
    LoadConfig config = new LoadConfig(signal, protocol, target, token, connections, inFlight, rate, duration,
        requests, items, services, routes, errorRatio, maxRetries,
        "none".equals(statusUrl) ? null : URI.create(statusUrl), adminToken, drainTimeout);
    if (!config.validate().isEmpty()) {
      config.validate().forEach(e -> err.println("tskotel loadgen: " + e));
      return 2;
    }
    try {
      LoadReport report = LoadGenerator.run(config, out);
      boolean complete = report.refusedRequests() == 0 && (report.committedItems() == null || report.drained());
      return complete ? 0 : 1;
    } catch (IOException e) {
      err.println("tskotel loadgen: " + e.getMessage());
      return 1;
    }
  }

  static final class SignalConverter implements ITypeConverter<LoadConfig.Signal> {
    @Override
    public LoadConfig.Signal convert(String value) {
      return LoadConfig.Signal.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  static final class ProtocolConverter implements ITypeConverter<LoadConfig.Protocol> {
    @Override
    public LoadConfig.Protocol convert(String value) {
      return LoadConfig.Protocol.valueOf(value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
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
