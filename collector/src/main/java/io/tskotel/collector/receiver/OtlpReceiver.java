package io.tskotel.collector.receiver;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.receiver.internal.BearerAuth;
import io.tskotel.collector.receiver.internal.GrpcOtlpServer;
import io.tskotel.collector.receiver.internal.HttpOtlpServer;
import io.tskotel.collector.receiver.internal.OtlpIngest;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP receivers: gRPC (default port 4317) and HTTP (4318), both handing validated requests to
 * one {@link IngestSink}. A client hears "accepted" only once the sink said its data is durable.
 *
 * <pre>{@code
 * OtlpReceiver receiver = OtlpReceiver.create(config, sink);
 * receiver.start();
 * ...
 * receiver.shutdown();
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(OtlpReceiver.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private enum State {
    NEW,
    STARTED,
    STOPPED
  }

  private final OtlpReceiverConfig config;
  private final IngestSink sink;
  private final CollectorMetrics metrics;
  private final Throttle throttle;
  private final RequestBudget budget;
  private State state = State.NEW;
  private @Nullable GrpcOtlpServer grpc;
  private @Nullable HttpOtlpServer http;

  private OtlpReceiver(OtlpReceiverConfig config, IngestSink sink, CollectorMetrics metrics, Throttle throttle) {
    this.config = config;
    this.sink = sink;
    this.metrics = metrics;
    this.throttle = throttle;
    this.budget = new RequestBudget(config.maxBytesInFlight());
  }

  /** A receiver counting into metrics of its own. */
  public static OtlpReceiver create(OtlpReceiverConfig config, IngestSink sink) {
    return create(config, sink, new CollectorMetrics());
  }

  /**
   * A receiver counting rejected items, failed and unauthenticated requests into {@code metrics} (the
   * sink counts what it accepts and refuses); those counts show 0 from now on.
   *
   * @throws IllegalArgumentException listing every problem of {@code config}
   */
  public static OtlpReceiver create(
      OtlpReceiverConfig config, IngestSink sink, CollectorMetrics metrics) {
    return create(config, sink, metrics, Throttle.NONE);
  }

  /**
   * A receiver that asks {@code throttle} (the memory guard) before reading each request.
   *
   * @throws IllegalArgumentException listing every problem of {@code config}
   */
  public static OtlpReceiver create(
      OtlpReceiverConfig config, IngestSink sink, CollectorMetrics metrics, Throttle throttle) {
    requireNonNull(config, "config").requireValid();
    requireNonNull(metrics, "metrics").receiverCountsFromZero();
    return new OtlpReceiver(config, requireNonNull(sink, "sink"), metrics, requireNonNull(throttle, "throttle"));
  }

  /** The bytes of requests in flight, shared by both listeners. */
  public RequestBudget budget() {
    return budget;
  }

  public OtlpReceiverConfig config() {
    return config;
  }

  /** Where this receiver counts (rejected items, failed and unauthenticated requests). */
  public CollectorMetrics metrics() {
    return metrics;
  }

  /**
   * Binds the enabled listeners; a second call does nothing. If one listener cannot start, the other
   * is stopped again and the exception says which address failed.
   */
  public synchronized void start() {
    if (state == State.STARTED) {
      return;
    }
    if (state == State.STOPPED) {
      throw new IllegalStateException("OTLP receiver was shut down; create a new one");
    }
    OtlpIngest ingest = new OtlpIngest(sink, metrics, budget, throttle);
    BearerAuth auth = config.authToken() == null ? null : new BearerAuth(config.authToken());
    try {
      if (config.grpcEnabled()) {
        grpc =
            new GrpcOtlpServer(
                config.grpcHost(), config.grpcPort(), config.maxMessageBytes(), config.grpcFlowControlWindow(),
                config.grpcMaxConcurrentStreams(), auth, config.tls(), ingest);
        grpc.start();
        logger.info("OTLP/gRPC receiver listening on {}", describe(config.grpcHost(), grpc.port()));
      }
      if (config.httpEnabled()) {
        http =
            new HttpOtlpServer(
                config.httpHost(), config.httpPort(), config.maxMessageBytes(), auth, config.tls(), ingest);
        http.start();
        logger.info("OTLP/HTTP receiver listening on {}", describe(config.httpHost(), http.port()));
      }
    } catch (RuntimeException e) {
      stopListeners();
      state = State.STOPPED;
      throw e;
    }
    state = State.STARTED;
    warnIfExposedWithoutToken();
  }

  /** Once per start: listening beyond loopback without a token lets anyone who reaches the host send data. */
  private void warnIfExposedWithoutToken() {
    if (config.authEnabled()) {
      return;
    }
    List<String> exposed = new ArrayList<>();
    if (grpc != null && !isLoopback(config.grpcHost())) {
      exposed.add(config.grpcHost() + ":" + grpc.port());
    }
    if (http != null && !isLoopback(config.httpHost())) {
      exposed.add(config.httpHost() + ":" + http.port());
    }
    if (!exposed.isEmpty()) {
      logger.warn("OTLP receivers listen beyond loopback ({}) without a token: anyone who can reach this host"
          + " can send telemetry; set [collector] auth_token (from @env) or bind them to localhost",
          String.join(", ", exposed));
    }
  }

  /** Whether {@code host} names only this machine (an unresolvable name counts as exposed). */
  static boolean isLoopback(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private String describe(String host, int port) {
    return host
        + ":"
        + port
        + " (tls: "
        + (config.tls() == null ? "off" : config.tls().mutual() ? "mutual" : "on")
        + ", auth: "
        + (config.authEnabled() ? "bearer token" : "none")
        + ", max message: "
        + config.maxMessageBytes()
        + " bytes)";
  }

  /** The bound gRPC port (useful after configuring port 0). */
  public synchronized int grpcPort() {
    if (state != State.STARTED || grpc == null) {
      throw new IllegalStateException("OTLP/gRPC receiver is not running");
    }
    return grpc.port();
  }

  /** The bound HTTP port (useful after configuring port 0). */
  public synchronized int httpPort() {
    if (state != State.STARTED || http == null) {
      throw new IllegalStateException("OTLP/HTTP receiver is not running");
    }
    return http.port();
  }

  /**
   * Stops accepting requests and lets running ones finish (up to a few seconds); safe to call twice,
   * and before {@link #start}.
   */
  public synchronized void shutdown() {
    if (state == State.STOPPED) {
      return;
    }
    boolean wasStarted = state == State.STARTED;
    state = State.STOPPED;
    stopListeners();
    if (wasStarted) {
      logger.info("OTLP receivers stopped");
    }
  }

  private void stopListeners() {
    if (http != null) {
      http.shutdown();
      http = null;
    }
    if (grpc != null) {
      grpc.shutdown(SHUTDOWN_GRACE);
      grpc = null;
    }
  }

  @Override
  public void close() {
    shutdown();
  }
}
