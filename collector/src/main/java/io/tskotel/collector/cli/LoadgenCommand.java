package io.tskotel.collector.cli;

import io.tskotel.collector.bench.LoadConfig;
import io.tskotel.collector.bench.LoadGenerator;
import io.tskotel.collector.bench.LoadReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin LoadOptions load;

  @Option(names = "--signal", defaultValue = "traces", converter = LoadOptions.SignalConverter.class,
      description = "traces, metrics or logs (default: ${DEFAULT-VALUE}).")
  LoadConfig.Signal signal;

  @Option(names = "--endpoint",
      description = "Collector OTLP endpoint (default: http://127.0.0.1:4317 for gRPC, :4318 for HTTP).")
  @Nullable URI endpoint;

  @Option(names = "--status-url", defaultValue = "http://127.0.0.1:8080/status",
      description = "The collector's /status, followed for committed rows; 'none' not to (default: ${DEFAULT-VALUE}).")
  String statusUrl;

  @Option(names = "--admin-token", defaultValue = "${env:" + ApiOptions.TOKEN_ENV + "}",
      description = "Bearer token for /status (default: the " + ApiOptions.TOKEN_ENV + " environment variable).")
  @Nullable String adminToken;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LoadConfig config = load.config(signal, endpoint, "none".equals(statusUrl) ? null : URI.create(statusUrl),
        adminToken);
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
}
