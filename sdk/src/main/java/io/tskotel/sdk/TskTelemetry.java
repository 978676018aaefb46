package io.tskotel.sdk;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.tskotel.sdk.internal.HealthChecks;
import io.tskotel.sdk.internal.HealthRunner;
import io.tskotel.sdk.internal.HealthServer;
import io.tskotel.sdk.internal.Instruments;
import io.tskotel.sdk.internal.LogOutput;
import io.tskotel.sdk.internal.OtelProperties;
import io.tskotel.sdk.internal.PaymentWindow;
import io.tskotel.sdk.internal.QueryClient;
import io.tskotel.sdk.internal.SystemMetrics;
import io.tskotel.sdk.internal.TskSettings;
import io.tskotel.sdk.internal.Views;
import io.tskotel.tsk.InstrumentKind;
import io.tskotel.tsk.Tsk;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.jspecify.annotations.Nullable;

/**
 * One TSK file configures OpenTelemetry in a Java application: {@code TskTelemetry.load(path)} builds an
 * OpenTelemetry SDK (resource, sampler, instruments, OTLP and Prometheus exporters, log output) and offers the
 * seed document's functions: metrics ({@link #recordMetric}, {@link #incrementMetric}, {@link #getMetrics},
 * {@link #collectMetrics}), business metrics ({@link #trackPayment}, ...), logging ({@link #logInfo}, {@link
 * #logError}, {@link #logRequest}), tracing ({@link #startTrace}, {@link #endTrace}) and health ({@link
 * #checkHealth}). Each is also registered as a fujsen under its seed name ({@code record_metric}, ...) in the
 * document's {@link Tsk#fujsenRegistry()}.
 *
 * <p>{@code OTEL_*} environment variables and {@code -Dotel.*} system properties override what the TSK file
 * says (see {@code docs/sdk.md}). The recording methods never throw: a bad value is dropped and logged
 * (throttled). Thread-safe; {@link #close()} flushes and shuts the SDK down, and is safe to call twice.
 */
public final class TskTelemetry implements AutoCloseable {
  private static final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(TskTelemetry.class.getName());
  static final String SCOPE = "io.tskotel.sdk";
  /** Set in the properties TskTelemetry hands to autoconfigure, so the autoconfigure provider stays out. */
  public static final String MANAGED_PROPERTY = "tskotel.sdk.managed";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("request_id");
  static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");
  static final AttributeKey<Double> DURATION = AttributeKey.doubleKey("duration");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("action");
  static final AttributeKey<String> FEATURE = AttributeKey.stringKey("feature");
  static final AttributeKey<String> PAYMENT_METHOD = AttributeKey.stringKey("payment_method");
  static final AttributeKey<Double> AMOUNT = AttributeKey.doubleKey("amount");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

  private final Tsk tsk;
  private final TskSettings settings;
  private final OpenTelemetry openTelemetry;
  private final @Nullable OpenTelemetrySdk ownedSdk;
  private final Instruments instruments;
  private final Tracer tracer;
  private final Logger otelLogger;
  private final int minSeverity;
  private final Clock clock;
  private final PaymentWindow payments;
  private final SystemMetrics systemMetrics;
  private final HealthRunner health;
  private final @Nullable HealthServer healthServer;
  private final @Nullable QueryClient query;
  private final List<AutoCloseable> resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  // The instruments the seed's functions record into, resolved once.
  private final Instruments.Inst requests;
  private final Instruments.Inst errors;
  private final Instruments.Inst responseTime;
  private final Instruments.Inst traceDuration;
  private final Instruments.Inst logErrors;
  private final AttributeKey<String> paymentOutcome;

  private TskTelemetry(Builder b, TskSettings settings, OpenTelemetry openTelemetry,
      @Nullable OpenTelemetrySdk ownedSdk, List<AutoCloseable> resources) throws IOException {
    this.tsk = b.tsk;
    this.settings = settings;
    this.openTelemetry = openTelemetry;
    this.ownedSdk = ownedSdk;
    this.clock = b.clock;
    this.resources = resources;
    this.instruments = new Instruments(openTelemetry.getMeter(SCOPE), tsk.instruments());
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.otelLogger = openTelemetry.getLogsBridge().get(SCOPE);
    this.minSeverity = severity(settings.logging().level()).getSeverityNumber();
    this.payments = new PaymentWindow(clock);
    this.systemMetrics = new SystemMetrics(instruments, settings.diskPath());
    TskSettings.Names names = settings.names();
    this.requests = instruments.get(names.requests(), InstrumentKind.COUNTER);
    this.errors = instruments.get(names.errors(), InstrumentKind.COUNTER);
    this.responseTime = instruments.get("response_time", InstrumentKind.HISTOGRAM);
    this.traceDuration = instruments.get("trace_duration", InstrumentKind.HISTOGRAM);
    this.logErrors = instruments.get("log_errors_total", InstrumentKind.COUNTER);
    this.paymentOutcome = AttributeKey.stringKey(names.paymentOutcomeLabel());
    this.query = settings.queryUrl() == null ? null : new QueryClient(settings.queryUrl(), settings.queryToken());

    Map<String, HealthCheck> checks = new LinkedHashMap<>(b.healthChecks);
    if (settings.health().redisUrl() != null && !checks.containsKey("cache")) {
      checks.put("cache", RedisClients.check(settings.health().redisUrl(), resources));
    }
    settings.health().externalServices()
        .forEach((name, url) -> checks.putIfAbsent(name, HealthChecks.http(url, settings.health().timeout())));
    this.health = new HealthRunner(checks, settings.health(), clock);
    resources.add(health);
    List<String> registered = Fujsens.register(this, tsk.fujsenRegistry());
    resources.add(() -> registered.forEach(tsk.fujsenRegistry()::unregister));
    this.healthServer = settings.health().port() < 0 ? null
        : HealthServer.start(health, settings.health().host(), settings.health().port());
    if (healthServer != null) {
      resources.add(healthServer);
    }
    if (!settings.systemMetricsInterval().isZero()) {
      long ms = settings.systemMetricsInterval().toMillis();
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tskotel-system-metrics");
        t.setDaemon(true);
        return t;
      });
      resources.add(s::shutdownNow);
      s.scheduleWithFixedDelay(this::collectQuietly, 0, ms, TimeUnit.MILLISECONDS);
    }
  }

  // ---- construction ----

  /** Reads a TSK file (with the process environment) and builds telemetry from it. */
  public static TskTelemetry load(Path path) throws IOException {
    return builder(Tsk.load(requireNonNull(path, "path"))).build();
  }

  /** Parses TSK text (with the process environment) and builds telemetry from it. */
  public static TskTelemetry fromString(String tskText) {
    return builder(Tsk.parse(requireNonNull(tskText, "tskText"))).build();
  }

  public static Builder builder(Tsk tsk) {
    return new Builder(requireNonNull(tsk, "tsk"));
  }

  /**
   * The OpenTelemetry instance: an {@code OpenTelemetrySdk} this object owns (closed by {@link #close()}), or the
   * instance given to {@link Builder#openTelemetry(OpenTelemetry)}.
   */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** The configuration this was built from. */
  public Tsk config() {
    return tsk;
  }

  // ---- metrics ----

  /**
   * The seed's {@code record_metric}: a gauge is set to {@code value}, a histogram observes it, a counter adds it.
   * {@code name} is a TSK instrument key ({@code response_time}) or metric name ({@code response_time_seconds});
   * an undeclared name becomes a gauge.
   */
  public void recordMetric(String name, double value) {
    instruments.get(name, InstrumentKind.GAUGE).record(value, Attributes.empty());
  }

  public void recordMetric(String name, double value, Map<String, ?> labels) {
    instruments.get(name, InstrumentKind.GAUGE).record(value, attributes(labels));
  }

  public void recordMetric(String name, double value, Attributes labels) {
    instruments.get(name, InstrumentKind.GAUGE).record(value, labels);
  }

  /** The seed's {@code increment_metric} by 1. */
  public void incrementMetric(String name) {
    instruments.get(name, InstrumentKind.COUNTER).increment(1, Attributes.empty());
  }

  /**
   * The seed's {@code increment_metric}: a counter adds {@code by}; a gauge goes up by {@code by} from its total
   * in this process. An undeclared name becomes a counter.
   */
  public void incrementMetric(String name, double by) {
    instruments.get(name, InstrumentKind.COUNTER).increment(by, Attributes.empty());
  }

  public void incrementMetric(String name, double by, Map<String, ?> labels) {
    instruments.get(name, InstrumentKind.COUNTER).increment(by, attributes(labels));
  }

  public void incrementMetric(String name, double by, Attributes labels) {
    instruments.get(name, InstrumentKind.COUNTER).increment(by, labels);
  }

  /**
   * The seed's {@code get_metrics}, answered by the collector's query API ({@code telemetry.query_url}, token
   * {@code telemetry.query_token}): {@code range} {@code 5m 1h 24h 7d all}, {@code aggregation} {@code avg max min
   * sum count p50 p90 p95 p99 raw}. Empty when the metric has no data in the range.
   *
   * @throws IllegalStateException when no query URL is configured or the collector fails
   * @throws IllegalArgumentException when the collector refuses the arguments
   * @throws UncheckedIOException when the collector cannot be reached
   */
  public List<Double> getMetrics(String name, String range, String aggregation) {
    return getMetrics(name, range, aggregation, Map.of());
  }

  public List<Double> getMetrics(String name, String range, String aggregation, Map<String, String> labels) {
    requireNonNull(name, "name");
    requireNonNull(range, "range");
    requireNonNull(aggregation, "aggregation");
    requireNonNull(labels, "labels");
    if (query == null) {
      throw new IllegalStateException(
          tsk.location("telemetry.query_url") + ": telemetry.query_url is not set (get_metrics asks the collector)");
    }
    return query.getMetrics(name, range, aggregation, labels);
  }

  /**
   * The seed's {@code collect_metrics}: cpu_usage, memory_usage, disk_usage (percent), memory_available and
   * disk_free (bytes), recorded as gauges (also under the semantic-convention names) and returned.
   */
  public Map<String, Double> collectMetrics() {
    return systemMetrics.collect();
  }

  private void collectQuietly() {
    try {
      systemMetrics.collect();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "collecting system metrics failed", e);
    }
  }

  // ---- business metrics ----

  /**
   * The seed's {@code track_user_activity}: a log record of the activity; a login adds one to {@code
   * daily_active_users}, a logout with a duration records {@code user_session_duration}.
   */
  public void trackUserActivity(String userId, String action, @Nullable Double durationSeconds) {
    requireNonNull(userId, "userId");
    requireNonNull(action, "action");
    AttributesBuilder a = Attributes.builder().put(USER_ID, userId).put(ACTION, action);
    if (durationSeconds != null) {
      a.put(DURATION, durationSeconds);
    }
    emit(Severity.INFO, "user activity", a.build());
    if (action.equals("login")) {
      instruments.get("daily_active_users", InstrumentKind.GAUGE).increment(1, Attributes.empty());
    } else if (action.equals("logout") && durationSeconds != null) {
      instruments.get("user_session_duration", InstrumentKind.HISTOGRAM).record(durationSeconds, Attributes.empty());
    }
  }

  /** The seed's {@code track_feature_usage}: a log record and {@code feature_usage} +1 by feature. */
  public void trackFeatureUsage(String userId, String feature) {
    requireNonNull(userId, "userId");
    requireNonNull(feature, "feature");
    emit(Severity.INFO, "feature usage", Attributes.of(USER_ID, userId, FEATURE, feature));
    instruments.get("feature_usage", InstrumentKind.COUNTER).increment(1, Attributes.of(FEATURE, feature));
  }

  /**
   * The seed's {@code track_payment}: {@code payments_total} +1 labelled with the outcome and method (what the
   * collector's {@code paymentSuccessRate} reads); when successful {@code revenue_daily} + amount (its {@code
   * revenueToday}) and {@code transaction_volume} +1; {@code payment_success_rate} set to the last 24 hours' rate
   * in this process. Returns that rate (percent).
   */
  public double trackPayment(double amount, boolean success, String method) {
    requireNonNull(method, "method");
    TskSettings.Names names = settings.names();
    Attributes labels = Attributes.of(paymentOutcome,
        success ? names.paymentSuccessValue() : "false", PAYMENT_METHOD, method);
    instruments.get(names.payments(), InstrumentKind.COUNTER).increment(1, labels);
    if (success) {
      instruments.get(names.revenue(), InstrumentKind.COUNTER).increment(amount, Attributes.empty());
      instruments.get("transaction_volume", InstrumentKind.COUNTER).increment(1, Attributes.empty());
    }
    double rate = payments.add(success);
    instruments.get(names.paymentSuccessRateGauge(), InstrumentKind.GAUGE).record(rate, Attributes.empty());
    emit(success ? Severity.INFO : Severity.WARN, success ? "payment succeeded" : "payment failed",
        Attributes.of(AMOUNT, amount, PAYMENT_METHOD, method));
    return rate;
  }

  /** The seed's {@code calculate_payment_success_rate}: percent of this process's payments of the last 24 hours. */
  public double paymentSuccessRate() {
    return payments.rate();
  }

  // ---- logging ----

  /** The seed's {@code log_info}: an INFO log record carrying the current trace, with the context as attributes. */
  public void logInfo(String message) {
    emit(Severity.INFO, message, Attributes.empty());
  }

  public void logInfo(String message, Map<String, ?> context) {
    if (Severity.INFO.getSeverityNumber() >= minSeverity) {
      emit(Severity.INFO, message, attributes(context));
    }
  }

  /**
   * The seed's {@code log_error}: an ERROR log record with the exception's type, message and stack trace; counts
   * {@code log_errors_total} (not {@code errors_total}, which counts failed requests for the error rate).
   */
  public void logError(String message, @Nullable Throwable error, Map<String, ?> context) {
    AttributesBuilder a = attributes(context).toBuilder();
    if (error != null) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      a.put(EXCEPTION_TYPE, error.getClass().getName())
          .put(EXCEPTION_STACKTRACE, trace.toString());
      if (error.getMessage() != null) {
        a.put(EXCEPTION_MESSAGE, error.getMessage());
      }
    }
    emit(Severity.ERROR, message, a.build());
    logErrors.increment(1, Attributes.empty());
  }

  public void logError(String message, @Nullable Throwable error) {
    logError(message, error, Map.of());
  }

  /**
   * The seed's {@code log_request}: an INFO log record of the request; {@code requests_total} +1, {@code
   * response_time} observes the duration (both labelled with method and status code), and {@code errors_total} +1
   * when the status is at least {@code query.error_status_threshold} (400).
   */
  public void logRequest(String requestId, String method, String path, int statusCode, double durationSeconds,
      @Nullable String userId) {
    Attributes metricLabels = Attributes.of(HTTP_METHOD, method, HTTP_STATUS, (long) statusCode);
    requests.increment(1, metricLabels);
    responseTime.record(durationSeconds, metricLabels);
    if (statusCode >= settings.names().errorStatusThreshold()) {
      errors.increment(1, metricLabels);
    }
    if (Severity.INFO.getSeverityNumber() >= minSeverity) {
      LogRecordBuilder r = otelLogger.logRecordBuilder()
          .setSeverity(Severity.INFO)
          .setSeverityText("INFO")
          .setBody("HTTP Request")
          .setAttribute(REQUEST_ID, requestId)
          .setAttribute(HTTP_METHOD, method)
          .setAttribute(URL_PATH, path)
          .setAttribute(HTTP_STATUS, (long) statusCode)
          .setAttribute(DURATION, durationSeconds);
      if (userId != null) {
        r.setAttribute(USER_ID, userId);
      }
      r.emit();
    }
  }

  private void emit(Severity severity, String message, Attributes attributes) {
    if (severity.getSeverityNumber() < minSeverity) {
      return;
    }
    otelLogger.logRecordBuilder()
        .setSeverity(severity)
        .setSeverityText(severity.name())
        .setBody(message)
        .setAllAttributes(attributes)
        .emit();
  }

  // ---- tracing ----

  /**
   * The seed's {@code start_trace}: a span (child of the current span, if any). Not current until {@link
   * Trace#makeCurrent()}. With {@code trace_enabled: false} a trace that records nothing.
   */
  public Trace startTrace(String operationName) {
    return start(operationName, null);
  }

  /** A child of {@code parent}, whatever is current. */
  public Trace startTrace(String operationName, Trace parent) {
    return start(operationName, requireNonNull(parent, "parent"));
  }

  private Trace start(String operationName, @Nullable Trace parent) {
    requireNonNull(operationName, "operationName");
    if (!settings.traceEnabled()) {
      return new Trace(Span.getInvalid(), operationName, Attributes.empty(), 0, false);
    }
    SpanBuilder b = tracer.spanBuilder(operationName);
    if (parent != null) {
      b.setParent(Context.root().with(parent.span));
    }
    long start = System.nanoTime();
    return new Trace(b.startSpan(), operationName, Attributes.of(OPERATION, operationName), start, true);
  }

  /** The seed's {@code add_trace_tag}. */
  public void addTraceTag(Trace trace, String key, String value) {
    trace.span.setAttribute(key, value);
  }

  public void addTraceTag(Trace trace, String key, long value) {
    trace.span.setAttribute(key, value);
  }

  public void addTraceTag(Trace trace, String key, double value) {
    trace.span.setAttribute(key, value);
  }

  public void addTraceTag(Trace trace, String key, boolean value) {
    trace.span.setAttribute(key, value);
  }

  /** {@link #endTrace(Trace, String, Throwable)} with status OK. */
  public double endTrace(Trace trace) {
    return endTrace(trace, "OK", null);
  }

  /**
   * The seed's {@code end_trace}: ends the span with {@code status} ({@code "OK"}, or {@code "ERROR"} / any error
   * as an error) and records its duration in {@code trace_duration} by operation. Returns the duration in seconds;
   * a second call does nothing and returns 0.
   */
  public double endTrace(Trace trace, String status, @Nullable Throwable error) {
    if (trace.ended || !trace.enabled) {
      return 0;
    }
    trace.ended = true;
    double seconds = (System.nanoTime() - trace.startNanos) / 1e9;
    Span span = trace.span;
    if (error != null) {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR, error.getMessage() == null ? "" : error.getMessage());
    } else if ("ERROR".equalsIgnoreCase(status)) {
      span.setStatus(StatusCode.ERROR);
    } else if ("OK".equalsIgnoreCase(status)) {
      span.setStatus(StatusCode.OK);
    }
    span.end();
    traceDuration.record(seconds, trace.operation);
    return seconds;
  }

  // ---- health ----

  /** The seed's {@code check_health}: every check (registered and from {@code [health_checks]}), side by side. */
  public HealthReport checkHealth() {
    return health.run();
  }

  /** The named checks only. */
  HealthReport checkHealth(List<String> names) {
    return health.run(names);
  }

  List<String> healthCheckNames() {
    return health.names();
  }

  /**
   * The answer for {@code path}, to mount in any HTTP framework: the {@code health_endpoint} and {@code
   * ready_endpoint} run the checks (200 or 503), the {@code live_endpoint} answers 200 while the process runs,
   * anything else 404.
   */
  public HealthResponse healthResponse(String path) {
    return health.respond(requireNonNull(path, "path"));
  }

  /** A handler serving the three endpoints, for an application's own JDK {@code HttpServer}. */
  public com.sun.net.httpserver.HttpHandler healthHandler() {
    return HealthServer.handler(health);
  }

  /** The built-in health server's port ({@code health_checks.port}), or -1 when it is off. */
  public int healthPort() {
    return healthServer == null ? -1 : healthServer.port();
  }

  // ---- lifecycle ----

  /**
   * Exports everything recorded so far; returns whether it all went out within {@code timeout}. A flush that
   * meets a periodic metric export in progress (which the SDK answers with a failure) is tried again.
   */
  public boolean forceFlush(Duration timeout) {
    if (!(openTelemetry instanceof OpenTelemetrySdk sdk)) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    return flush(sdk.getSdkTracerProvider()::forceFlush, deadline)
        && flush(sdk.getSdkMeterProvider()::forceFlush, deadline)
        && flush(sdk.getSdkLoggerProvider()::forceFlush, deadline);
  }

  private static boolean flush(java.util.function.Supplier<CompletableResultCode> flush, long deadline) {
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (flush.get().join(left, TimeUnit.NANOSECONDS).isSuccess()) {
        return true;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, 50_000_000L));
    }
  }

  /** Unregisters the fujsen, stops the health server and timers, flushes and shuts down the owned SDK. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        logger.log(Level.WARNING, "closing telemetry resources failed", e);
      }
    }
    if (ownedSdk != null) {
      ownedSdk.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  // ---- helpers ----

  static Attributes attributes(Map<String, ?> labels) {
    if (labels.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder b = Attributes.builder();
    labels.forEach((k, v) -> {
      if (k == null || v == null) {
        return;
      }
      if (v instanceof String s) {
        b.put(k, s);
      } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        b.put(k, ((Number) v).longValue());
      } else if (v instanceof Number n) {
        b.put(k, n.doubleValue());
      } else if (v instanceof Boolean bool) {
        b.put(k, bool);
      } else {
        b.put(k, String.valueOf(v));
      }
    });
    return b.build();
  }

  private static Severity severity(TskSettings.Severity level) {
    return switch (level) {
      case DEBUG -> Severity.DEBUG;
      case INFO -> Severity.INFO;
      case WARN -> Severity.WARN;
      case ERROR -> Severity.ERROR;
    };
  }

  /** Configures a {@link TskTelemetry}. */
  public static final class Builder {
    private final Tsk tsk;
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
    private @Nullable OpenTelemetry openTelemetry;
    private boolean global;
    private PrintStream console = System.out;
    private final List<Consumer<AutoConfigurationCustomizer>> customizers = new ArrayList<>();

    private Builder(Tsk tsk) {
      this.tsk = tsk;
    }

    /**
     * The environment whose {@code OTEL_*} variables override the TSK file; default {@link System#getenv()}.
     * ({@code -Dotel.*} system properties override both.)
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    /** The clock of health reports, the 24-hour payment window and log file rotation; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Adds a check to {@link #checkHealth()} ({@code "database"}, {@code "cache"}, ...). */
    public Builder healthCheck(String name, HealthCheck check) {
      requireNonNull(name, "name");
      requireNonNull(check, "check");
      if (healthChecks.putIfAbsent(name, check) != null) {
        throw new IllegalArgumentException("healthCheck: \"" + name + "\" is already added");
      }
      return this;
    }

    /**
     * Records into an OpenTelemetry instance the application already has (for example {@code
     * GlobalOpenTelemetry.get()} under the Java agent, configured by the autoconfigure provider) instead of
     * building one. {@link #close()} then leaves it running.
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** Also registers the SDK as {@code GlobalOpenTelemetry} (for libraries that use it); default false. */
    public Builder registerGlobal(boolean global) {
      this.global = global;
      return this;
    }

    /**
     * Adds to the SDK autoconfigure builds (span processors, exporters, resource, ...), after what the TSK file
     * configures. Not used with {@link #openTelemetry(OpenTelemetry)}.
     */
    public Builder customize(Consumer<AutoConfigurationCustomizer> customizer) {
      customizers.add(requireNonNull(customizer, "customizer"));
      return this;
    }

    /** Where {@code log_console: true} writes; default {@link System#out}. */
    public Builder console(PrintStream console) {
      this.console = requireNonNull(console, "console");
      return this;
    }

    /**
     * Builds the SDK and starts what the configuration asks for (health server, system metrics timer).
     *
     * @throws IllegalArgumentException listing every invalid setting with its {@code file:line:col}
     * @throws UncheckedIOException when the log file or the health server's port cannot be opened
     */
    public TskTelemetry build() {
      TskSettings settings = TskSettings.from(tsk);
      List<AutoCloseable> resources = new ArrayList<>();
      OpenTelemetrySdk owned = null;
      try {
        OpenTelemetry otel = openTelemetry;
        if (otel == null) {
          owned = autoconfigure(settings);
          otel = owned;
          Bridges.installLogback(owned);
        }
        return new TskTelemetry(this, settings, otel, owned, resources);
      } catch (IOException | RuntimeException e) {
        for (int i = resources.size() - 1; i >= 0; i--) {
          try {
            resources.get(i).close();
          } catch (Exception suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        if (owned != null) {
          owned.shutdown().join(5, TimeUnit.SECONDS);
        }
        if (e instanceof IOException io) {
          throw new UncheckedIOException(io.getMessage(), io);
        }
        throw (RuntimeException) e;
      }
    }

    private OpenTelemetrySdk autoconfigure(TskSettings settings) throws IOException {
      Map<String, String> defaults = new LinkedHashMap<>(OtelProperties.of(settings));
      defaults.put(MANAGED_PROPERTY, "true");
      Map<String, String> fromEnvironment = otelEnvironment(environment);
      LogOutput output = LogOutput.create(settings.logging(), console, clock);
      AutoConfiguredOpenTelemetrySdkBuilder b = AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .addPropertiesCustomizer(config -> fromEnvironment)
          .addMeterProviderCustomizer((meters, config) -> Views.register(meters, tsk, settings))
          .disableShutdownHook();
      if (output != null) {
        b.addLoggerProviderCustomizer(
            (loggers, config) -> loggers.addLogRecordProcessor(output));
      }
      customizers.forEach(c -> c.accept(b));
      if (global) {
        b.setResultAsGlobal();
      }
      return b.build().getOpenTelemetrySdk();
    }

    /**
     * {@code OTEL_FOO_BAR} from the given environment as {@code otel.foo.bar}, unless a system property sets it
     * (autoconfigure reads the process environment itself; this makes an injected one count the same way).
     */
    private static Map<String, String> otelEnvironment(Map<String, String> environment) {
      Map<String, String> out = new LinkedHashMap<>();
      environment.forEach((k, v) -> {
        if (k.startsWith("OTEL_")) {
          String property = k.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
          if (System.getProperty(property) == null) {
            out.put(property, v);
          }
        }
      });
      return out;
    }
  }
}
