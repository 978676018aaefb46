package io.tskotel.exporter.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * OTLP objects for tests, built with the protobuf builders the receivers produce: every field the schema
 * stores is set to a distinctive value (ids, nanosecond times, attributes of every value type, events,
 * links, exemplars, every metric point type).
 */
public final class OtlpFixtures {
  private OtlpFixtures() {}

  /**
   * The fixtures' base time: an hour before the test JVM started, to the second, plus distinctive nanoseconds.
   * Relative to now, never a calendar date: every table with a TTL keeps it, on any day the tests run.
   */
  public static final Instant T0 =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1)).plusNanos(123_456_789);

  public static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  public static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static KeyValue attr(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  public static KeyValue attr(String key, double value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setDoubleValue(value)).build();
  }

  public static KeyValue attr(String key, boolean value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
  }

  public static Resource resource(String serviceName, KeyValue... more) {
    Resource.Builder r = Resource.newBuilder();
    if (serviceName != null) {
      r.addAttributes(attr("service.name", serviceName));
    }
    for (KeyValue kv : more) {
      r.addAttributes(kv);
    }
    return r.build();
  }

  public static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("io.tskotel.test").setVersion("1.2.3")
        .addAttributes(attr("scope.attr", "s")).setDroppedAttributesCount(2).build();
  }

  /** A server span with unsorted attributes of every value type, two events and one link. */
  public static Span span(String traceHex, String spanHex, String parentHex, Instant start, long durationNanos) {
    return Span.newBuilder()
        .setTraceId(id(traceHex))
        .setSpanId(id(spanHex))
        .setParentSpanId(parentHex.isEmpty() ? ByteString.EMPTY : id(parentHex))
        .setTraceState("vendor=a")
        .setName("GET /orders/{id}")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(nanos(start))
        .setEndTimeUnixNano(nanos(start) + durationNanos)
        .addAttributes(attr("http.route", "/orders/{id}"))
        .addAttributes(attr("http.status_code", 200L))
        .addAttributes(attr("ratio", 0.5))
        .addAttributes(attr("cached", true))
        .addAttributes(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder().setArrayValue(
            ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a"))
                .addValues(AnyValue.newBuilder().setIntValue(2)))))
        .addAttributes(KeyValue.newBuilder().setKey("ctx").setValue(AnyValue.newBuilder().setKvlistValue(
            KeyValueList.newBuilder().addValues(attr("z", "1")).addValues(attr("a", "2")))))
        .addAttributes(KeyValue.newBuilder().setKey("blob").setValue(
            AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi"))))
        .addEvents(Span.Event.newBuilder().setName("cache.miss").setTimeUnixNano(nanos(start) + 1)
            .addAttributes(attr("key", "order:1")))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(nanos(start) + 999)
            .addAttributes(attr("exception.message", "boom ✗")).addAttributes(attr("exception.type", "E")))
        .addLinks(Span.Link.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
            .setSpanId(id("b7ad6b7169203331")).setTraceState("k=v").addAttributes(attr("link.kind", "follows")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("failed"))
        .build();
  }

  public static ResourceSpans traces(String serviceName, Span... spans) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(scope());
    for (Span s : spans) {
      ss.addSpans(s);
    }
    return ResourceSpans.newBuilder()
        .setResource(resource(serviceName, attr("host.name", "h1"), attr("deployment.environment", "test")))
        .addScopeSpans(ss).build();
  }

  public static ResourceSpans sampleTraces() {
    return traces("checkout",
        span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "", T0, 1_234_567L),
        span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b175", "eee19b7ec3c1b174", T0.plusNanos(7), 5L));
  }

  public static LogRecord log(Instant t, String body) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(nanos(t))
        .setObservedTimeUnixNano(nanos(t) + 5)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("WARN")
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .addAttributes(attr("user.id", 42L))
        .addAttributes(attr("code.function", "pay"))
        .setFlags(1)
        .setTraceId(id("5b8efff798038103d269b633813fc60c"))
        .setSpanId(id("eee19b7ec3c1b174"))
        .setEventName("payment.declined")
        .build();
  }

  public static ResourceLogs logs(String serviceName, LogRecord... records) {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder().setScope(scope()).setSchemaUrl("https://opentelemetry.io/schemas/1.30.0");
    for (LogRecord r : records) {
      sl.addLogRecords(r);
    }
    return ResourceLogs.newBuilder().setResource(resource(serviceName, attr("host.name", "h1")))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.29.0").addScopeLogs(sl).build();
  }

  public static Exemplar exemplar(Instant t, double value) {
    return Exemplar.newBuilder().setTimeUnixNano(nanos(t)).setAsDouble(value)
        .setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("eee19b7ec3c1b174"))
        .addFilteredAttributes(attr("exemplar.attr", "x")).build();
  }

  /** One metric of every point type, each with one point carrying exemplars where the type allows. */
  public static ResourceMetrics sampleMetrics(String serviceName) {
    long start = nanos(T0.minusSeconds(60));
    long now = nanos(T0);
    Metric gauge = Metric.newBuilder().setName("queue.depth").setDescription("items waiting").setUnit("{item}")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(start).setTimeUnixNano(now).setAsInt(17)
            .addAttributes(attr("queue", "orders")).addExemplars(exemplar(T0.minusNanos(3), 16.5))))
        .build();
    Metric sum = Metric.newBuilder().setName("http.requests").setUnit("{request}")
        .setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .setIsMonotonic(true).addDataPoints(NumberDataPoint.newBuilder()
                .setStartTimeUnixNano(start).setTimeUnixNano(now).setAsDouble(1234.5).setFlags(1)
                .addAttributes(attr("route", "/a")).addAttributes(attr("method", "GET"))))
        .build();
    Metric histogram = Metric.newBuilder().setName("http.duration").setUnit("ms")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(now)
                .setCount(6).setSum(42.25).addBucketCounts(1).addBucketCounts(3).addBucketCounts(2)
                .addExplicitBounds(5).addExplicitBounds(10).setMin(0.5).setMax(20)
                .addAttributes(attr("route", "/a"))
                .addExemplars(exemplar(T0.minusNanos(1), 7.0)).addExemplars(exemplar(T0.minusNanos(2), 19.0))))
        .build();
    Metric exponential = Metric.newBuilder().setName("rpc.size").setUnit("By")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(now)
                .setCount(10).setSum(999.0).setScale(3).setZeroCount(1).setMin(0).setMax(300)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-2)
                    .addBucketCounts(4).addBucketCounts(5))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1).addBucketCounts(0))
                .addExemplars(exemplar(T0, 12.0))))
        .build();
    Metric summary = Metric.newBuilder().setName("gc.pause").setUnit("s")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .setStartTimeUnixNano(start).setTimeUnixNano(now).setCount(3).setSum(0.75)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.2))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(0.4))))
        .build();
    return ResourceMetrics.newBuilder()
        .setResource(resource(serviceName, attr("host.name", "h1")))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.29.0")
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope()).setSchemaUrl("https://s/1")
            .addMetrics(gauge).addMetrics(sum).addMetrics(histogram).addMetrics(exponential).addMetrics(summary))
        .build();
  }
}
