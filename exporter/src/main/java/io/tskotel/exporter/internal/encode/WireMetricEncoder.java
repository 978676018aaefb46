package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireReader.FIXED64;
import static io.tskotel.exporter.internal.encode.WireReader.LEN;
import static io.tskotel.exporter.internal.encode.WireReader.UNSURE;
import static io.tskotel.exporter.internal.encode.WireReader.VARINT;
import static io.tskotel.exporter.internal.encode.WireReader.length;
import static io.tskotel.exporter.internal.encode.WireReader.offset;
import static io.tskotel.exporter.internal.encode.WireReader.tag;
import static io.tskotel.exporter.internal.encode.WireSpanEncoder.writeId;
import static io.tskotel.exporter.internal.encode.WireSpanEncoder.writeString;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.internal.store.ExpiredOnArrival;
import java.util.List;
import java.util.function.Function;

/**
 * Serialized {@code ExportMetricsServiceRequest}s straight into the {@code otel_metrics_*} rows
 * {@link MetricEncoder} writes from the parsed request; same rules as {@link WireSpanEncoder} (whole requests
 * — here across the five tables —, the generated parser for what the wire reading does not handle, which
 * includes a metric whose data is sent twice). Not thread-safe: one per encoding thread.
 */
public final class WireMetricEncoder {
  private static final MetricTable[] TABLES = MetricTable.values();

  private final EncodeStats stats;
  private final MetricEncoder fallback;
  private final WireMaps maps = new WireMaps();
  private final WireReader request = new WireReader();
  private final WireReader outer = new WireReader(); // resource metrics
  private final WireReader scopeReader = new WireReader();
  private final WireReader part = new WireReader(); // resource, scope, metric, data
  private final WireReader point = new WireReader();
  private final WireReader item = new WireReader(); // exemplar, quantile, buckets, packed values
  private final RowBinaryWriter scratch = new RowBinaryWriter(256);
  private final EncodeStats discarded = new EncodeStats();
  private final WireEnvelope.Resource res = new WireEnvelope.Resource(maps);
  private final WireEnvelope.Scope scope = new WireEnvelope.Scope(maps);
  private final LongList kvs = new LongList();
  private final LongList points = new LongList();
  private final LongList exemplars = new LongList();
  private final LongList exemplarKvs = new LongList();
  private final RowSink[] sinks = new RowSink[TABLES.length];
  private final int[] marks = new int[TABLES.length];
  private final int[] rows = new int[TABLES.length];
  private EncodeStats requestStats = new EncodeStats();
  private long expired;
  private long cutoff;
  private long parsedRequests;

  // The scope map and metric of the point being written (its resource and scope: res, scope).
  private byte[] scopeMap;
  private long metricName;
  private long description;
  private long unit;

  public WireMetricEncoder(EncodeStats stats) {
    this.stats = stats;
    this.fallback = new MetricEncoder(stats);
  }

  /** Writes every point of these requests into the sink of its table; see {@link WireSpanEncoder#encode}. */
  public WireSpanEncoder.Written encode(List<byte[]> requests, Function<MetricTable, RowSink> tableSinks,
      long cutoffNanos) throws StoreException {
    long total = 0;
    long expiredRows = 0;
    cutoff = cutoffNanos;
    java.util.Arrays.fill(sinks, null);
    for (byte[] r : requests) {
      requestStats = new EncodeStats();
      expired = 0;
      for (int t = 0; t < TABLES.length; t++) {
        rows[t] = 0;
        marks[t] = sinks[t] == null ? -1 : sinks[t].writer().size();
      }
      try {
        request(r, tableSinks);
        stats.add(requestStats);
        expiredRows += expired;
      } catch (WireReader.Unsure e) {
        for (int t = 0; t < TABLES.length; t++) {
          if (sinks[t] != null) {
            sinks[t].writer().truncate(Math.max(marks[t], 0));
          }
        }
        parsedRequests++;
        List<ResourceMetrics> parsed = parse(r);
        total += fallback.encode(parsed, tableSinks);
        expiredRows += ExpiredOnArrival.points(parsed, cutoffNanos);
        continue;
      }
      for (int t = 0; t < TABLES.length; t++) {
        if (rows[t] > 0) {
          sinks[t].endRows(rows[t]);
          total += rows[t];
        }
      }
    }
    return new WireSpanEncoder.Written(total, expiredRows);
  }

  /** Requests this encoder handed to the generated parser (see the class comment), for tests. */
  public long parsedRequests() {
    return parsedRequests;
  }

  private static List<ResourceMetrics> parse(byte[] r) throws StoreException {
    try {
      return ExportMetricsServiceRequest.parseFrom(r).getResourceMetricsList();
    } catch (InvalidProtocolBufferException e) {
      throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
    }
  }

  /** The writer of a table, its start in this request remembered the first time it is used. */
  private RowBinaryWriter writer(MetricTable table, Function<MetricTable, RowSink> tableSinks) {
    int t = table.ordinal();
    if (sinks[t] == null) {
      sinks[t] = tableSinks.apply(table);
      marks[t] = sinks[t].writer().size();
    } else if (marks[t] == -1) {
      marks[t] = sinks[t].writer().size();
    }
    return sinks[t].writer();
  }

  private void request(byte[] b, Function<MetricTable, RowSink> tableSinks) {
    request.at(b, 0, b.length);
    while (request.more()) {
      int tag = request.tag();
      if (tag == tag(1, LEN)) {
        resourceMetrics(b, request.lengthDelimited(), tableSinks);
      } else {
        request.skip(tag);
      }
    }
  }

  private void resourceMetrics(byte[] b, long range, Function<MetricTable, RowSink> tableSinks) {
    res.read(outer, b, range);
    outer.at(b, range);
    while (outer.more()) {
      int tag = outer.tag();
      if (tag == tag(2, LEN)) {
        scopeMetrics(b, outer.lengthDelimited(), tableSinks);
      } else {
        outer.skip(tag);
      }
    }
    if (!res.encoded()) {
      res.encode(b, discarded); // no metrics: nothing written, but checked as the parser would
    }
  }

  private void scopeMetrics(byte[] b, long range, Function<MetricTable, RowSink> tableSinks) {
    scope.read(scopeReader, b, range);
    // Encoded now, counted (duplicate keys) only if the scope has metrics, as MetricEncoder does.
    EncodeStats scopeStats = new EncodeStats();
    scopeMap = scope.map(b, scopeStats);
    boolean first = true;
    scopeReader.at(b, range);
    while (scopeReader.more()) {
      int tag = scopeReader.tag();
      if (tag == tag(2, LEN)) {
        long m = scopeReader.lengthDelimited();
        if (!res.encoded()) {
          res.encode(b, requestStats);
        }
        if (first) {
          requestStats.add(scopeStats);
          first = false;
        }
        metric(b, m, tableSinks);
      } else {
        scopeReader.skip(tag);
      }
    }
  }

  private void metric(byte[] b, long range, Function<MetricTable, RowSink> tableSinks) {
    metricName = 0;
    description = 0;
    unit = 0;
    int dataField = 0;
    long data = 0;
    part.at(b, range);
    kvs.clear();
    while (part.more()) {
      int tag = part.tag();
      switch (tag) {
        case 1 << 3 | LEN -> metricName = part.string();
        case 2 << 3 | LEN -> description = part.string();
        case 3 << 3 | LEN -> unit = part.string();
        case 5 << 3 | LEN, 7 << 3 | LEN, 9 << 3 | LEN, 10 << 3 | LEN, 11 << 3 | LEN -> {
          if (dataField != 0) {
            throw UNSURE; // a oneof sent twice: merged or replaced, left to the parser
          }
          dataField = tag >>> 3;
          data = part.lengthDelimited();
        }
        case 12 << 3 | LEN -> kvs.add(part.lengthDelimited());
        default -> part.skip(tag);
      }
    }
    if (kvs.size > 0) {
      scratch.reset(); // metadata: not stored, checked as the parser would
      maps.writeMap(scratch, b, kvs.values, kvs.size, 4, discarded);
    }
    if (dataField == 0) {
      requestStats.metricWithoutData.increment();
      return;
    }
    int temporality = 0;
    boolean monotonic = false;
    points.clear();
    part.at(b, data);
    while (part.more()) {
      int tag = part.tag();
      if (tag == tag(1, LEN)) {
        points.add(part.lengthDelimited());
      } else if (tag == tag(2, VARINT) && dataField != 5 && dataField != 11) {
        temporality = (int) part.varint();
      } else if (tag == tag(3, VARINT) && dataField == 7) {
        monotonic = part.varint() != 0;
      } else {
        part.skip(tag);
      }
    }
    MetricTable table = switch (dataField) {
      case 5 -> MetricTable.GAUGE;
      case 7 -> MetricTable.SUM;
      case 9 -> MetricTable.HISTOGRAM;
      case 10 -> MetricTable.EXPONENTIAL_HISTOGRAM;
      default -> MetricTable.SUMMARY;
    };
    if (points.size == 0) {
      return;
    }
    RowBinaryWriter w = writer(table, tableSinks);
    for (int i = 0; i < points.size; i++) {
      long p = points.values[i];
      switch (table) {
        case GAUGE, SUM -> number(w, b, p, table == MetricTable.SUM, temporality, monotonic);
        case HISTOGRAM -> histogram(w, b, p, temporality);
        case EXPONENTIAL_HISTOGRAM -> exponential(w, b, p, temporality);
        case SUMMARY -> summary(w, b, p);
      }
      rows[table.ordinal()]++;
    }
  }

  private void common(RowBinaryWriter w, byte[] b, long start, long time) {
    w.writeRaw(res.map, 0, res.map.length);
    writeString(w, b, res.schemaUrl);
    writeString(w, b, scope.name);
    writeString(w, b, scope.version);
    w.writeRaw(scopeMap, 0, scopeMap.length);
    w.writeUInt32(scope.dropped & 0xFFFFFFFFL);
    writeString(w, b, scope.schemaUrl);
    w.writeRaw(res.serviceName, 0, res.serviceName.length);
    writeString(w, b, metricName);
    writeString(w, b, description);
    writeString(w, b, unit);
    maps.writeMap(w, b, kvs.values, kvs.size, 6, requestStats);
    Otlp.writeNanos(w, start, requestStats);
    Otlp.writeNanos(w, time, requestStats);
    if (time >= 0 && time < cutoff) {
      expired++;
    }
  }

  private void number(RowBinaryWriter w, byte[] b, long range, boolean isSum, int temporality,
      boolean monotonic) {
    long start = 0;
    long time = 0;
    int valueField = 0;
    long value = 0;
    int flags = 0;
    kvs.clear();
    exemplars.clear();
    point.at(b, range);
    while (point.more()) {
      int tag = point.tag();
      switch (tag) {
        case 7 << 3 | LEN -> kvs.add(point.lengthDelimited());
        case 2 << 3 | FIXED64 -> start = point.fixed64();
        case 3 << 3 | FIXED64 -> time = point.fixed64();
        case 4 << 3 | FIXED64, 6 << 3 | FIXED64 -> {
          valueField = tag >>> 3;
          value = point.fixed64();
        }
        case 5 << 3 | LEN -> exemplars.add(point.lengthDelimited());
        case 8 << 3 | VARINT -> flags = (int) point.varint();
        default -> point.skip(tag);
      }
    }
    common(w, b, start, time);
    w.writeFloat64(numberValue(valueField, 4, value));
    w.writeUInt32(flags & 0xFFFFFFFFL);
    writeExemplars(w, b);
    if (isSum) {
      w.writeInt32(temporality);
      w.writeBool(monotonic);
    }
  }

  /** A number oneof's value: {@code doubleField} holds a double, the other an sfixed64; none is 0, counted. */
  private double numberValue(int field, int doubleField, long bits) {
    if (field == 0) {
      requestStats.pointWithoutValue.increment();
      return 0.0;
    }
    return field == doubleField ? Double.longBitsToDouble(bits) : (double) bits;
  }

  private void histogram(RowBinaryWriter w, byte[] b, long range, int temporality) {
    long start = 0;
    long time = 0;
    long count = 0;
    long sum = 0;
    int flags = 0;
    long min = 0;
    long max = 0;
    int buckets = 0;
    int bounds = 0;
    kvs.clear();
    exemplars.clear();
    point.at(b, range);
    while (point.more()) {
      int tag = point.tag();
      switch (tag) {
        case 9 << 3 | LEN -> kvs.add(point.lengthDelimited());
        case 2 << 3 | FIXED64 -> start = point.fixed64();
        case 3 << 3 | FIXED64 -> time = point.fixed64();
        case 4 << 3 | FIXED64 -> count = point.fixed64();
        case 5 << 3 | FIXED64 -> sum = point.fixed64();
        case 6 << 3 | FIXED64 -> {
          point.fixed64();
          buckets++;
        }
        case 6 << 3 | LEN -> buckets += packed8(point.lengthDelimited());
        case 7 << 3 | FIXED64 -> {
          point.fixed64();
          bounds++;
        }
        case 7 << 3 | LEN -> bounds += packed8(point.lengthDelimited());
        case 8 << 3 | LEN -> exemplars.add(point.lengthDelimited());
        case 10 << 3 | VARINT -> flags = (int) point.varint();
        case 11 << 3 | FIXED64 -> min = point.fixed64();
        case 12 << 3 | FIXED64 -> max = point.fixed64();
        default -> point.skip(tag);
      }
    }
    common(w, b, start, time);
    w.writeUInt64(count);
    writeDouble(w, sum);
    w.writeSize(buckets);
    copy8(w, b, range, 6, false);
    w.writeSize(bounds);
    copy8(w, b, range, 7, true);
    writeExemplars(w, b);
    w.writeUInt32(flags & 0xFFFFFFFFL);
    writeDouble(w, min);
    writeDouble(w, max);
    w.writeInt32(temporality);
  }

  /** The number of 8-byte values in a packed field: protobuf refuses a length that is not a multiple of 8. */
  private static int packed8(long range) {
    if (length(range) % 8 != 0) {
      throw UNSURE;
    }
    return length(range) / 8;
  }

  /**
   * Writes the 8-byte values of repeated {@code field} (packed or not) in their order: fixed64 counts copied
   * as they are, doubles through {@code double} as the parsed path reads and writes them.
   */
  private void copy8(RowBinaryWriter w, byte[] b, long range, int field, boolean doubles) {
    item.at(b, range);
    while (item.more()) {
      int tag = item.tag();
      if (tag == tag(field, FIXED64)) {
        long v = item.fixed64();
        if (doubles) {
          writeDouble(w, v);
        } else {
          w.writeInt64(v);
        }
      } else if (tag == tag(field, LEN)) {
        long packed = item.lengthDelimited();
        if (doubles) {
          WireReader values = new WireReader().at(b, packed);
          while (values.more()) {
            writeDouble(w, values.fixed64());
          }
        } else {
          w.writeRaw(b, offset(packed), length(packed));
        }
      } else {
        item.skip(tag);
      }
    }
  }

  private void exponential(RowBinaryWriter w, byte[] b, long range, int temporality) {
    long start = 0;
    long time = 0;
    long count = 0;
    long sum = 0;
    int scale = 0;
    long zeroCount = 0;
    long positive = -1;
    long negative = -1;
    int flags = 0;
    long min = 0;
    long max = 0;
    kvs.clear();
    exemplars.clear();
    point.at(b, range);
    while (point.more()) {
      int tag = point.tag();
      switch (tag) {
        case 1 << 3 | LEN -> kvs.add(point.lengthDelimited());
        case 2 << 3 | FIXED64 -> start = point.fixed64();
        case 3 << 3 | FIXED64 -> time = point.fixed64();
        case 4 << 3 | FIXED64 -> count = point.fixed64();
        case 5 << 3 | FIXED64 -> sum = point.fixed64();
        case 6 << 3 | VARINT -> scale = zigZag((int) point.varint());
        case 7 << 3 | FIXED64 -> zeroCount = point.fixed64();
        case 8 << 3 | LEN -> {
          if (positive != -1) {
            throw UNSURE;
          }
          positive = point.lengthDelimited();
        }
        case 9 << 3 | LEN -> {
          if (negative != -1) {
            throw UNSURE;
          }
          negative = point.lengthDelimited();
        }
        case 10 << 3 | VARINT -> flags = (int) point.varint();
        case 11 << 3 | LEN -> exemplars.add(point.lengthDelimited());
        case 12 << 3 | FIXED64 -> min = point.fixed64();
        case 13 << 3 | FIXED64 -> max = point.fixed64();
        default -> point.skip(tag);
      }
    }
    common(w, b, start, time);
    w.writeUInt64(count);
    writeDouble(w, sum);
    w.writeInt32(scale);
    w.writeUInt64(zeroCount);
    buckets(w, b, positive);
    buckets(w, b, negative);
    writeExemplars(w, b);
    w.writeUInt32(flags & 0xFFFFFFFFL);
    writeDouble(w, min);
    writeDouble(w, max);
    w.writeInt32(temporality);
  }

  private static void writeDouble(RowBinaryWriter w, long bits) {
    w.writeFloat64(Double.longBitsToDouble(bits));
  }

  private static int zigZag(int n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /** An exponential histogram's buckets: offset (sint32), then the counts (uint64, packed or not). */
  private void buckets(RowBinaryWriter w, byte[] b, long range) {
    int offset = 0;
    int n = 0;
    if (range != -1) {
      item.at(b, range);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(1, VARINT)) {
          offset = zigZag((int) item.varint());
        } else if (tag == tag(2, VARINT)) {
          item.varint();
          n++;
        } else if (tag == tag(2, LEN)) {
          n += packedVarints(b, item.lengthDelimited());
        } else {
          item.skip(tag);
        }
      }
    }
    w.writeInt32(offset);
    w.writeSize(n);
    if (n == 0) {
      return;
    }
    item.at(b, range);
    while (item.more()) {
      int tag = item.tag();
      if (tag == tag(2, VARINT)) {
        w.writeUInt64(item.varint());
      } else if (tag == tag(2, LEN)) {
        WireReader values = new WireReader().at(b, item.lengthDelimited());
        while (values.more()) {
          w.writeUInt64(values.varint());
        }
      } else {
        item.skip(tag);
      }
    }
  }

  private static int packedVarints(byte[] b, long range) {
    WireReader values = new WireReader().at(b, range);
    int n = 0;
    while (values.more()) {
      values.varint(); // a varint running past the field's end is refused, as protobuf does
      n++;
    }
    return n;
  }

  private void summary(RowBinaryWriter w, byte[] b, long range) {
    long start = 0;
    long time = 0;
    long count = 0;
    long sum = 0;
    int flags = 0;
    int quantiles = 0;
    kvs.clear();
    point.at(b, range);
    while (point.more()) {
      int tag = point.tag();
      switch (tag) {
        case 7 << 3 | LEN -> kvs.add(point.lengthDelimited());
        case 2 << 3 | FIXED64 -> start = point.fixed64();
        case 3 << 3 | FIXED64 -> time = point.fixed64();
        case 4 << 3 | FIXED64 -> count = point.fixed64();
        case 5 << 3 | FIXED64 -> sum = point.fixed64();
        case 6 << 3 | LEN -> {
          point.lengthDelimited();
          quantiles++;
        }
        case 8 << 3 | VARINT -> flags = (int) point.varint();
        default -> point.skip(tag);
      }
    }
    common(w, b, start, time);
    w.writeUInt64(count);
    writeDouble(w, sum);
    for (int pass = 1; pass <= 2; pass++) { // quantiles, then values
      w.writeSize(quantiles);
      point.at(b, range);
      while (point.more()) {
        int tag = point.tag();
        if (tag == tag(6, LEN)) {
          long q = point.lengthDelimited();
          long v = 0;
          item.at(b, q);
          while (item.more()) {
            int t = item.tag();
            if (t == tag(pass, FIXED64)) {
              v = item.fixed64();
            } else {
              item.skip(t);
            }
          }
          writeDouble(w, v);
        } else {
          point.skip(tag);
        }
      }
    }
    w.writeUInt32(flags & 0xFFFFFFFFL);
  }

  /** The Exemplars Nested column: five arrays of equal length, each pass reading the exemplars again. */
  private void writeExemplars(RowBinaryWriter w, byte[] b) {
    int n = exemplars.size;
    w.writeSize(n);
    LongList attributes = exemplarKvs;
    for (int i = 0; i < n; i++) {
      attributes.clear();
      item.at(b, exemplars.values[i]);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(7, LEN)) {
          attributes.add(item.lengthDelimited());
        } else {
          item.skip(tag);
        }
      }
      maps.writeMap(w, b, attributes.values, attributes.size, 7, requestStats);
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      Otlp.writeNanos(w, exemplarFixed64(b, i, 2), requestStats);
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      int valueField = 0;
      long value = 0;
      item.at(b, exemplars.values[i]);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(3, FIXED64) || tag == tag(6, FIXED64)) {
          valueField = tag >>> 3;
          value = item.fixed64();
        } else {
          item.skip(tag);
        }
      }
      w.writeFloat64(numberValue(valueField, 3, value));
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      writeId(w, b, exemplarBytes(b, i, 4), 8, requestStats);
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      writeId(w, b, exemplarBytes(b, i, 5), 16, requestStats);
    }
  }

  private long exemplarFixed64(byte[] b, int i, int field) {
    long v = 0;
    item.at(b, exemplars.values[i]);
    while (item.more()) {
      int tag = item.tag();
      if (tag == tag(field, FIXED64)) {
        v = item.fixed64();
      } else {
        item.skip(tag);
      }
    }
    return v;
  }

  private long exemplarBytes(byte[] b, int i, int field) {
    long v = 0;
    item.at(b, exemplars.values[i]);
    while (item.more()) {
      int tag = item.tag();
      if (tag == tag(field, LEN)) {
        v = item.lengthDelimited();
      } else {
        item.skip(tag);
      }
    }
    return v;
  }
}
