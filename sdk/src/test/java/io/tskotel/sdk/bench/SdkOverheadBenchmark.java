package io.tskotel.sdk.bench;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tskotel.sdk.Trace;
import io.tskotel.sdk.TskTelemetry;
import io.tskotel.tsk.Tsk;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed functions' cost next to the raw OpenTelemetry calls doing the same work, on one SDK (always-on
 * sampler, span and log processors that keep nothing, a periodic reader whose exporter discards): each {@code tsk*} benchmark has a
 * {@code raw*} twin. {@code logRequest}'s twin emits the same log record and updates the same three instruments;
 * {@code startEndTrace}'s twin also records the span's duration in a histogram by operation, as {@code endTrace}
 * does. Instrument lookup by name is the SDK's extra work.
 *
 * <p>Run: {@code mvn -o -pl sdk -Pbench test-compile -Djmh.args="SdkOverhead -wi 2 -i 3 -f 1"}. Not run by
 * {@code verify}. Results: docs/sdk.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SdkOverheadBenchmark {
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("request_id");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<Double> DURATION = AttributeKey.doubleKey("duration");
  private static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");
  private static final Attributes LABELS = Attributes.of(AttributeKey.stringKey("service"), "api");

  OpenTelemetrySdk sdk;
  TskTelemetry tsk;
  DoubleHistogram rawHistogram;
  DoubleCounter rawCounter;
  DoubleCounter rawRequests;
  DoubleCounter rawErrors;
  DoubleHistogram rawResponseTime;
  DoubleHistogram rawTraceDuration;
  Tracer tracer;
  Logger logger;

  @Setup(Level.Trial)
  public void setUp() {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
            .addSpanProcessor(new DiscardSpans()).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(
            PeriodicMetricReader.builder(new DiscardMetrics()).setInterval(Duration.ofSeconds(10)).build()).build())
        .setLoggerProvider(SdkLoggerProvider.builder()
            .addLogRecordProcessor(new DiscardLogs()).build())
        .build();
    tsk = TskTelemetry.builder(Tsk.parse("[telemetry]\nexporter: \"none\"\n")).openTelemetry(sdk).build();
    var meter = sdk.getMeter("raw");
    rawHistogram = meter.histogramBuilder("raw_response_time_seconds").setUnit("s").build();
    rawCounter = meter.counterBuilder("raw_requests_total").ofDoubles().build();
    rawRequests = meter.counterBuilder("raw_requests2_total").ofDoubles().build();
    rawErrors = meter.counterBuilder("raw_errors_total").ofDoubles().build();
    rawResponseTime = meter.histogramBuilder("raw_response_time2_seconds").setUnit("s").build();
    rawTraceDuration = meter.histogramBuilder("raw_trace_duration").setUnit("s").build();
    tracer = sdk.getTracer("raw");
    logger = sdk.getLogsBridge().get("raw");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tsk.close();
    sdk.close();
  }

  @Benchmark
  public void tskRecordMetric() {
    tsk.recordMetric("response_time", 0.25);
  }

  @Benchmark
  public void rawRecordMetric() {
    rawHistogram.record(0.25);
  }

  @Benchmark
  public void tskRecordMetricLabels() {
    tsk.recordMetric("response_time", 0.25, LABELS);
  }

  @Benchmark
  public void rawRecordMetricLabels() {
    rawHistogram.record(0.25, LABELS);
  }

  @Benchmark
  public void tskIncrementMetric() {
    tsk.incrementMetric("requests_total");
  }

  @Benchmark
  public void rawIncrementMetric() {
    rawCounter.add(1);
  }

  @Benchmark
  public double tskStartEndTrace() {
    Trace t = tsk.startTrace("checkout");
    return tsk.endTrace(t);
  }

  @Benchmark
  public double rawStartEndTrace() {
    long start = System.nanoTime();
    Span span = tracer.spanBuilder("checkout").startSpan();
    Attributes operation = Attributes.of(OPERATION, "checkout");
    span.setStatus(StatusCode.OK);
    span.end();
    double seconds = (System.nanoTime() - start) / 1e9;
    rawTraceDuration.record(seconds, operation);
    return seconds;
  }

  @Benchmark
  public void tskLogRequest() {
    tsk.logRequest("req-1", "GET", "/cart", 200, 0.1, "user-1");
  }

  @Benchmark
  public void rawLogRequest() {
    Attributes labels = Attributes.of(METHOD, "GET", STATUS, 200L);
    rawRequests.add(1, labels);
    rawResponseTime.record(0.1, labels);
    if (200 >= 400) {
      rawErrors.add(1, labels);
    }
    logger.logRecordBuilder().setSeverity(Severity.INFO).setSeverityText("INFO").setBody("HTTP Request")
        .setAttribute(REQUEST_ID, "req-1").setAttribute(METHOD, "GET").setAttribute(URL_PATH, "/cart")
        .setAttribute(STATUS, 200L).setAttribute(DURATION, 0.1).setAttribute(USER_ID, "user-1").emit();
  }

  /** Takes every span and keeps nothing: the cost measured is the API and SDK, not an export queue. */
  static final class DiscardSpans implements SpanProcessor {
    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  static final class DiscardLogs implements LogRecordProcessor {
    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {}
  }

  static final class DiscardMetrics implements MetricExporter {
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
