package io.tskotel.collector.receiver.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The receiver's fast path: reads an OTLP protobuf request on the wire, without building its message
 * objects, and answers what parsing it and {@code validate()} would, for the common case only. It
 * returns the item count when the request parses and every item is valid; {@link #FALL_BACK} when
 * anything is off — malformed bytes, an invalid item, or an encoding not worth walking (groups, a
 * metric's data set twice, deep nesting) — and the caller then parses and validates in full, which
 * gives the exact answer (error, or partial success with its counts and reasons).
 *
 * <p>Like protobuf-java's generated parsers: every string field (at any depth) must be UTF-8, a known
 * field with another wire type is an unknown field, the last value of a singular field wins, repeated
 * scalars may come packed or not. Which fields are strings and messages comes from the descriptors,
 * so nothing reachable is missed; only the fields that validation looks at are read by hand.
 */
final class WireWalk {
  static final long FALL_BACK = -1;

  /** protobuf-java refuses nesting beyond 100; we stop walking earlier and let the parser decide. */
  private static final int MAX_DEPTH = 64;

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final Shape TRACE_REQUEST = Shape.of(ExportTraceServiceRequest.getDescriptor());
  private static final Shape RESOURCE_SPANS = Shape.of(ResourceSpans.getDescriptor());
  private static final Shape SCOPE_SPANS = Shape.of(ScopeSpans.getDescriptor());
  private static final Shape SPAN = Shape.of(Span.getDescriptor());
  private static final Shape LINK = Shape.of(Span.Link.getDescriptor());

  private static final Shape LOGS_REQUEST = Shape.of(ExportLogsServiceRequest.getDescriptor());
  private static final Shape RESOURCE_LOGS = Shape.of(ResourceLogs.getDescriptor());
  private static final Shape SCOPE_LOGS = Shape.of(ScopeLogs.getDescriptor());
  private static final Shape LOG_RECORD = Shape.of(LogRecord.getDescriptor());

  private static final Shape METRICS_REQUEST = Shape.of(ExportMetricsServiceRequest.getDescriptor());
  private static final Shape RESOURCE_METRICS = Shape.of(ResourceMetrics.getDescriptor());
  private static final Shape SCOPE_METRICS = Shape.of(ScopeMetrics.getDescriptor());
  private static final Shape METRIC = Shape.of(Metric.getDescriptor());
  private static final Shape NUMBER_POINT = Shape.of(NumberDataPoint.getDescriptor());
  private static final Shape HISTOGRAM_POINT = Shape.of(HistogramDataPoint.getDescriptor());
  private static final Shape EXPONENTIAL_POINT = Shape.of(ExponentialHistogramDataPoint.getDescriptor());
  private static final Shape BUCKETS = Shape.of(ExponentialHistogramDataPoint.Buckets.getDescriptor());
  private static final Shape SUMMARY_POINT = Shape.of(SummaryDataPoint.getDescriptor());
  private static final Shape QUANTILE = Shape.of(SummaryDataPoint.ValueAtQuantile.getDescriptor());
  private static final Shape EXEMPLAR = Shape.of(Exemplar.getDescriptor());

  // Tags (field number << 3 | wire type) of the fields read by hand.
  private static final int F1_LEN = 10;
  private static final int F2_LEN = 18;

  private final byte[] bytes;
  private final WireInput in;
  private int depth;

  private WireWalk(byte[] bytes) {
    this.bytes = bytes;
    this.in = new WireInput(bytes);
  }

  static long traces(byte[] protobuf) {
    WireWalk w = new WireWalk(protobuf);
    try {
      return w.traceRequest();
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return FALL_BACK;
    }
  }

  static long logs(byte[] protobuf) {
    WireWalk w = new WireWalk(protobuf);
    try {
      return w.logsRequest();
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return FALL_BACK;
    }
  }

  static long metrics(byte[] protobuf) {
    WireWalk w = new WireWalk(protobuf);
    try {
      return w.metricsRequest();
    } catch (IOException | RuntimeException | StackOverflowError e) {
      return FALL_BACK;
    }
  }

  // ---- traces: a span needs a trace id and a span id, a link both, a parent is optional ----------

  private long traceRequest() throws IOException {
    long spans = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F1_LEN) {
        int limit = enter();
        spans += resourceSpans();
        leave(limit);
      } else {
        other(TRACE_REQUEST, tag);
      }
    }
    return spans;
  }

  private long resourceSpans() throws IOException {
    long spans = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F2_LEN) {
        int limit = enter();
        spans += scopeSpans();
        leave(limit);
      } else {
        other(RESOURCE_SPANS, tag);
      }
    }
    return spans;
  }

  private long scopeSpans() throws IOException {
    long spans = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F2_LEN) {
        int limit = enter();
        span();
        leave(limit);
        spans++;
      } else {
        other(SCOPE_SPANS, tag);
      }
    }
    return spans;
  }

  private void span() throws IOException {
    boolean traceId = false;
    boolean spanId = false;
    boolean parentSpanId = true;
    boolean links = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 1 << 3 | LEN -> traceId = id(Ids.TRACE_ID_BYTES, false);
        case 2 << 3 | LEN -> spanId = id(Ids.SPAN_ID_BYTES, false);
        case 4 << 3 | LEN -> parentSpanId = id(Ids.SPAN_ID_BYTES, true);
        case 13 << 3 | LEN -> {
          int limit = enter();
          links &= link();
          leave(limit);
        }
        default -> other(SPAN, tag);
      }
    }
    check(traceId && spanId && parentSpanId && links);
  }

  private boolean link() throws IOException {
    boolean traceId = false;
    boolean spanId = false;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 1 << 3 | LEN -> traceId = id(Ids.TRACE_ID_BYTES, false);
        case 2 << 3 | LEN -> spanId = id(Ids.SPAN_ID_BYTES, false);
        default -> other(LINK, tag);
      }
    }
    return traceId && spanId;
  }

  // ---- logs: trace and span ids optional ----------------------------------------------------------

  private long logsRequest() throws IOException {
    long records = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F1_LEN) {
        int limit = enter();
        records += resourceLogs();
        leave(limit);
      } else {
        other(LOGS_REQUEST, tag);
      }
    }
    return records;
  }

  private long resourceLogs() throws IOException {
    long records = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F2_LEN) {
        int limit = enter();
        records += scopeLogs();
        leave(limit);
      } else {
        other(RESOURCE_LOGS, tag);
      }
    }
    return records;
  }

  private long scopeLogs() throws IOException {
    long records = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F2_LEN) {
        int limit = enter();
        logRecord();
        leave(limit);
        records++;
      } else {
        other(SCOPE_LOGS, tag);
      }
    }
    return records;
  }

  private void logRecord() throws IOException {
    boolean traceId = true;
    boolean spanId = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 9 << 3 | LEN -> traceId = id(Ids.TRACE_ID_BYTES, true);
        case 10 << 3 | LEN -> spanId = id(Ids.SPAN_ID_BYTES, true);
        default -> other(LOG_RECORD, tag);
      }
    }
    check(traceId && spanId);
  }

  // ---- metrics: the rules of MetricsCodec.metricProblem and pointProblem ---------------------------

  private long metricsRequest() throws IOException {
    long points = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F1_LEN) {
        int limit = enter();
        points += resourceMetrics();
        leave(limit);
      } else {
        other(METRICS_REQUEST, tag);
      }
    }
    return points;
  }

  private long resourceMetrics() throws IOException {
    long points = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F2_LEN) {
        int limit = enter();
        points += scopeMetrics();
        leave(limit);
      } else {
        other(RESOURCE_METRICS, tag);
      }
    }
    return points;
  }

  private long scopeMetrics() throws IOException {
    long points = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F2_LEN) {
        int limit = enter();
        points += metric();
        leave(limit);
      } else {
        other(SCOPE_METRICS, tag);
      }
    }
    return points;
  }

  private long metric() throws IOException {
    boolean named = false;
    int data = 0;
    long points = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (tag == F1_LEN) {
        named = string() > 0;
      } else if (WireFormat.getTagWireType(tag) == LEN
          && (field == 5 || field == 7 || field == 9 || field == 10 || field == 11)) {
        // The data oneof set twice replaces or merges; rare enough to leave to the parser.
        check(data == 0);
        data = field;
        int limit = enter();
        points = dataPoints(field);
        leave(limit);
      } else {
        other(METRIC, tag);
      }
    }
    check(named && data != 0);
    return points;
  }

  /** The points of a Gauge (5), Sum (7), Histogram (9), ExponentialHistogram (10) or Summary (11). */
  private long dataPoints(int dataField) throws IOException {
    Shape container = METRIC.children[dataField];
    long points = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == F1_LEN) {
        int limit = enter();
        switch (dataField) {
          case 5, 7 -> numberPoint();
          case 9 -> histogramPoint();
          case 10 -> exponentialPoint();
          default -> summaryPoint();
        }
        leave(limit);
        points++;
      } else {
        other(container, tag);
      }
    }
    return points;
  }

  private void numberPoint() throws IOException {
    boolean exemplars = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == (5 << 3 | LEN)) {
        exemplars &= exemplar();
      } else {
        other(NUMBER_POINT, tag);
      }
    }
    check(exemplars);
  }

  private void histogramPoint() throws IOException {
    long count = 0;
    int flags = 0;
    long bucketSum = 0;
    int buckets = 0;
    int bounds = 0;
    boolean exemplars = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 4 << 3 | WireFormat.WIRETYPE_FIXED64 -> count = in.readFixed64();
        case 6 << 3 | WireFormat.WIRETYPE_FIXED64 -> {
          bucketSum += in.readFixed64();
          buckets++;
        }
        case 6 << 3 | LEN -> {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            bucketSum += in.readFixed64();
            buckets++;
          }
          in.popLimit(limit);
        }
        case 7 << 3 | WireFormat.WIRETYPE_FIXED64 -> {
          in.readDouble();
          bounds++;
        }
        case 7 << 3 | LEN -> {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            in.readDouble();
            bounds++;
          }
          in.popLimit(limit);
        }
        case 8 << 3 | LEN -> exemplars &= exemplar();
        case 10 << 3 | WireFormat.WIRETYPE_VARINT -> flags = in.readUInt32();
        default -> other(HISTOGRAM_POINT, tag);
      }
    }
    if (!noRecordedValue(flags) && buckets > 0) {
      check(buckets == bounds + 1 && bucketSum == count);
    }
    check(exemplars);
  }

  private void exponentialPoint() throws IOException {
    long count = 0;
    long zeroCount = 0;
    long bucketSum = 0;
    int scale = 0;
    int flags = 0;
    boolean exemplars = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 4 << 3 | WireFormat.WIRETYPE_FIXED64 -> count = in.readFixed64();
        case 6 << 3 | WireFormat.WIRETYPE_VARINT -> scale = in.readSInt32();
        case 7 << 3 | WireFormat.WIRETYPE_FIXED64 -> zeroCount = in.readFixed64();
        // Positive and negative buckets given twice merge: their counts add up either way.
        case 8 << 3 | LEN, 9 << 3 | LEN -> {
          int limit = enter();
          bucketSum += buckets();
          leave(limit);
        }
        case 10 << 3 | WireFormat.WIRETYPE_VARINT -> flags = in.readUInt32();
        case 11 << 3 | LEN -> exemplars &= exemplar();
        default -> other(EXPONENTIAL_POINT, tag);
      }
    }
    check(scale >= -10 && scale <= 20);
    check(noRecordedValue(flags) || zeroCount + bucketSum == count);
    check(exemplars);
  }

  private long buckets() throws IOException {
    long sum = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 2 << 3 | WireFormat.WIRETYPE_VARINT -> sum += in.readUInt64();
        case 2 << 3 | LEN -> {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            sum += in.readUInt64();
          }
          in.popLimit(limit);
        }
        default -> other(BUCKETS, tag);
      }
    }
    return sum;
  }

  private void summaryPoint() throws IOException {
    boolean quantiles = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == (6 << 3 | LEN)) {
        int limit = enter();
        double quantile = 0;
        for (int t; (t = in.readTag()) != 0; ) {
          if (t == (1 << 3 | WireFormat.WIRETYPE_FIXED64)) {
            quantile = in.readDouble();
          } else {
            other(QUANTILE, t);
          }
        }
        leave(limit);
        quantiles &= quantile >= 0 && quantile <= 1;
      } else {
        other(SUMMARY_POINT, tag);
      }
    }
    check(quantiles);
  }

  /** Reads one exemplar (its length prefix included): are its optional ids well-formed? */
  private boolean exemplar() throws IOException {
    int limit = enter();
    boolean traceId = true;
    boolean spanId = true;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case 4 << 3 | LEN -> spanId = id(Ids.SPAN_ID_BYTES, true);
        case 5 << 3 | LEN -> traceId = id(Ids.TRACE_ID_BYTES, true);
        default -> other(EXEMPLAR, tag);
      }
    }
    leave(limit);
    return traceId && spanId;
  }

  private static boolean noRecordedValue(int flags) {
    return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
  }

  // ---- the generic part ---------------------------------------------------------------------------

  /** A field the caller does not read itself: strings checked, messages walked, the rest skipped. */
  private void other(Shape shape, int tag) throws IOException {
    int field = WireFormat.getTagFieldNumber(tag);
    if (WireFormat.getTagWireType(tag) == LEN && field < shape.kinds.length) {
      switch (shape.kinds[field]) {
        case Shape.STRING -> {
          string();
          return;
        }
        case Shape.MESSAGE -> {
          int limit = enter();
          Shape child = shape.children[field];
          for (int t; (t = in.readTag()) != 0; ) {
            other(child, t);
          }
          leave(limit);
          return;
        }
        default -> {}
      }
    }
    int wireType = WireFormat.getTagWireType(tag);
    // Groups are legal but unused by OTLP; the parser's own handling of them decides.
    check(wireType != WireFormat.WIRETYPE_START_GROUP && wireType != WireFormat.WIRETYPE_END_GROUP);
    in.skipField(tag);
  }

  /** Enters a length-delimited message; returns the limit to restore. */
  private int enter() throws IOException {
    check(++depth <= MAX_DEPTH);
    return in.pushLimit(in.readRawVarint32());
  }

  private void leave(int limit) {
    in.popLimit(limit);
    depth--;
  }

  /** Skips a string, checking it is UTF-8 as the generated parser does; returns its length. */
  private int string() throws IOException {
    int length = in.readRawVarint32();
    int start = in.getTotalBytesRead();
    in.skipRawBytes(length);
    check(StrictUtf8.isValid(bytes, start, start + length));
    return length;
  }

  /** Skips an id's bytes: are they {@code length} bytes, not all zeros (or absent, if optional)? */
  private boolean id(int length, boolean optional) throws IOException {
    int size = in.readRawVarint32();
    int start = in.getTotalBytesRead();
    in.skipRawBytes(size);
    if (size == 0) {
      return optional;
    }
    if (size != length) {
      return false;
    }
    for (int i = start; i < start + length; i++) {
      if (bytes[i] != 0) {
        return true;
      }
    }
    return false;
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw FallBack.INSTANCE;
    }
  }

  /** Not the common case: take the full path. Thrown only inside the walk, without a stack trace. */
  private static final class FallBack extends RuntimeException {
    static final FallBack INSTANCE = new FallBack();

    private FallBack() {
      super(null, null, false, false);
    }
  }

  /** Which fields of a message type are strings and messages, by field number. */
  private static final class Shape {
    static final byte STRING = 1;
    static final byte MESSAGE = 2;

    private byte[] kinds = new byte[0];
    private Shape[] children = new Shape[0];

    static Shape of(Descriptor type) {
      return of(type, new HashMap<>());
    }

    // Message types refer to each other (AnyValue, KeyValueList, KeyValue): one Shape per type.
    private static Shape of(Descriptor type, Map<Descriptor, Shape> seen) {
      Shape shape = seen.get(type);
      if (shape != null) {
        return shape;
      }
      shape = new Shape();
      seen.put(type, shape);
      int max = 0;
      for (FieldDescriptor f : type.getFields()) {
        max = Math.max(max, f.getNumber());
      }
      shape.kinds = new byte[max + 1];
      shape.children = new Shape[max + 1];
      for (FieldDescriptor f : type.getFields()) {
        switch (f.getType()) {
          case STRING -> shape.kinds[f.getNumber()] = STRING;
          case MESSAGE -> {
            shape.kinds[f.getNumber()] = MESSAGE;
            shape.children[f.getNumber()] = of(f.getMessageType(), seen);
          }
          default -> {}
        }
      }
      return shape;
    }
  }
}
