package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireReader.FIXED64;
import static io.tskotel.exporter.internal.encode.WireReader.LEN;
import static io.tskotel.exporter.internal.encode.WireReader.UNSURE;
import static io.tskotel.exporter.internal.encode.WireReader.VARINT;
import static io.tskotel.exporter.internal.encode.WireReader.length;
import static io.tskotel.exporter.internal.encode.WireReader.offset;
import static io.tskotel.exporter.internal.encode.WireReader.tag;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.internal.store.ExpiredOnArrival;
import java.util.List;

/**
 * Serialized {@code ExportTraceServiceRequest}s (as the receiver queued them) straight into
 * {@code otel_traces} rows, byte for byte the rows {@link SpanEncoder} writes from the parsed request, without
 * protobuf's generated objects: strings and ids are copied from the request, resource attributes encoded once
 * per resource.
 *
 * <p>A request is written whole or not at all. What the wire reading does not handle (a message field sent
 * twice, which protobuf merges; groups; anything malformed) makes it drop the request's rows written so far
 * and hand the request to the generated parser and {@link SpanEncoder}: the same rows, or the parser's error
 * as a permanent {@link StoreException}. Not thread-safe: one per encoding thread.
 */
public final class WireSpanEncoder extends WireRequestEncoder {
  private final SpanEncoder fallback;
  private final WireReader scopeSpans = new WireReader();
  private final WireReader part = new WireReader(); // a span's status
  private final WireReader span = new WireReader();
  private final WireReader item = new WireReader(); // an event or link
  private final LongList kvs = new LongList();
  private final LongList events = new LongList();
  private final LongList links = new LongList();
  private final LongList itemKvs = new LongList();

  // The span being written: its fields as ranges into the request, numbers as they are.
  private long traceId;
  private long spanId;
  private long traceState;
  private long parentSpanId;
  private long name;
  private int kind;
  private long start;
  private long end;
  private long status;

  public WireSpanEncoder(EncodeStats stats) {
    super(stats);
    this.fallback = new SpanEncoder(stats);
  }

  /** The result of {@link #encode}: rows written, and how many of them started before the cutoff. */
  public record Written(long rows, long expired) {}

  @Override
  Written encodeParsed(byte[] request, RowSink sink, long cutoffNanos) throws StoreException {
    List<ResourceSpans> parsed;
    try {
      parsed = ExportTraceServiceRequest.parseFrom(request).getResourceSpansList();
    } catch (InvalidProtocolBufferException e) {
      throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
    }
    return new Written(fallback.encode(parsed, sink), ExpiredOnArrival.spans(parsed, cutoffNanos));
  }

  @Override
  int scopeItems(byte[] b, long range, RowBinaryWriter w, long cutoff) {
    scope.read(scopeSpans, b, range);
    if (scope.message != -1) {
      // Scope attributes are not a column of otel_traces; encoding them checks them as the parser would.
      scope.check(b, discarded);
    }
    int rows = 0;
    scopeSpans.at(b, range);
    while (scopeSpans.more()) {
      int tag = scopeSpans.tag();
      if (tag == tag(2, LEN)) {
        long s = scopeSpans.lengthDelimited();
        if (!res.encoded()) {
          res.encode(b, requestStats);
        }
        writeSpan(b, s, w);
        if (start >= 0 && start < cutoff) {
          expired++;
        }
        rows++;
      } else {
        scopeSpans.skip(tag);
      }
    }
    return rows;
  }

  private void writeSpan(byte[] b, long range, RowBinaryWriter w) {
    readSpan(b, range);
    EncodeStats s = requestStats;
    long startNanos = Otlp.nanos(start, s);
    long duration = Otlp.nanos(end, s) - startNanos;
    if (duration < 0) {
      s.negativeDuration.increment();
      duration = 0;
    }
    w.writeDateTime64Nanos(startNanos);
    writeId(w, b, traceId, 16);
    writeId(w, b, spanId, 8);
    writeId(w, b, parentSpanId, 8);
    writeString(w, b, traceState);
    writeString(w, b, name);
    w.writeString(SpanEncoder.kind(kind, requestStats));
    w.writeRaw(res.serviceName, 0, res.serviceName.length);
    w.writeRaw(res.map, 0, res.map.length);
    writeString(w, b, scope.name);
    writeString(w, b, scope.version);
    maps.writeMap(w, b, kvs.values, kvs.size, 4, s);
    w.writeUInt64(duration);
    writeStatus(w, b);
    writeEvents(w, b);
    writeLinks(w, b);
  }

  private void readSpan(byte[] b, long range) {
    traceId = 0;
    spanId = 0;
    traceState = 0;
    parentSpanId = 0;
    name = 0;
    kind = 0;
    start = 0;
    end = 0;
    status = -1;
    kvs.clear();
    events.clear();
    links.clear();
    span.at(b, range);
    while (span.more()) {
      int tag = span.tag();
      switch (tag) {
        case 1 << 3 | LEN -> traceId = span.lengthDelimited();
        case 2 << 3 | LEN -> spanId = span.lengthDelimited();
        case 3 << 3 | LEN -> traceState = span.string();
        case 4 << 3 | LEN -> parentSpanId = span.lengthDelimited();
        case 5 << 3 | LEN -> name = span.string();
        case 6 << 3 | VARINT -> kind = (int) span.varint();
        case 7 << 3 | FIXED64 -> start = span.fixed64();
        case 8 << 3 | FIXED64 -> end = span.fixed64();
        case 9 << 3 | LEN -> kvs.add(span.lengthDelimited());
        case 11 << 3 | LEN -> events.add(span.lengthDelimited());
        case 13 << 3 | LEN -> links.add(span.lengthDelimited());
        case 15 << 3 | LEN -> {
          if (status != -1) {
            throw UNSURE;
          }
          status = span.lengthDelimited();
        }
        default -> span.skip(tag);
      }
    }
  }

  private void writeStatus(RowBinaryWriter w, byte[] b) {
    int code = 0;
    long message = 0;
    if (status != -1) {
      part.at(b, status);
      while (part.more()) {
        int tag = part.tag();
        if (tag == tag(2, LEN)) {
          message = part.string();
        } else if (tag == tag(3, VARINT)) {
          code = (int) part.varint();
        } else {
          part.skip(tag);
        }
      }
    }
    w.writeString(switch (code) {
      case 0 -> "Unset";
      case 1 -> "Ok";
      case 2 -> "Error";
      default -> {
        requestStats.unknownEnumValue.increment();
        yield "Unset";
      }
    });
    writeString(w, b, message);
  }

  /** Events as three Nested columns: each pass reads the events again, which beats keeping their parts. */
  private void writeEvents(RowBinaryWriter w, byte[] b) {
    int n = events.size;
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      long time = 0;
      item.at(b, events.values[i]);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(1, FIXED64)) {
          time = item.fixed64();
        } else {
          item.skip(tag);
        }
      }
      Otlp.writeNanos(w, time, requestStats);
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      long eventName = 0;
      item.at(b, events.values[i]);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(2, LEN)) {
          eventName = item.string();
        } else {
          item.skip(tag);
        }
      }
      writeString(w, b, eventName);
    }
    w.writeSize(n);
    LongList attributes = itemKvs;
    for (int i = 0; i < n; i++) {
      attributes.clear();
      item.at(b, events.values[i]);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(3, LEN)) {
          attributes.add(item.lengthDelimited());
        } else {
          item.skip(tag);
        }
      }
      maps.writeMap(w, b, attributes.values, attributes.size, 5, requestStats);
    }
  }

  private void writeLinks(RowBinaryWriter w, byte[] b) {
    int n = links.size;
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      writeId(w, b, linkField(b, i, 1), 16);
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      writeId(w, b, linkField(b, i, 2), 8);
    }
    w.writeSize(n);
    for (int i = 0; i < n; i++) {
      writeString(w, b, linkField(b, i, 3));
    }
    w.writeSize(n);
    LongList attributes = itemKvs;
    for (int i = 0; i < n; i++) {
      attributes.clear();
      item.at(b, links.values[i]);
      while (item.more()) {
        int tag = item.tag();
        if (tag == tag(4, LEN)) {
          attributes.add(item.lengthDelimited());
        } else {
          item.skip(tag);
        }
      }
      maps.writeMap(w, b, attributes.values, attributes.size, 5, requestStats);
    }
  }

  /** The last value of a link's length-delimited field (trace_state checked as a string). */
  private long linkField(byte[] b, int link, int field) {
    long value = 0;
    item.at(b, links.values[link]);
    while (item.more()) {
      int tag = item.tag();
      if (tag == tag(field, LEN)) {
        value = field == 3 ? item.string() : item.lengthDelimited();
      } else if (tag == tag(3, LEN)) {
        item.string();
      } else {
        item.skip(tag);
      }
    }
    return value;
  }

  static void writeString(RowBinaryWriter w, byte[] b, long range) {
    w.writeBytes(b, offset(range), length(range));
  }

  /** {@link Otlp#writeId} on the wire: empty or all-zero ids as "", others as hex, a wrong length counted. */
  private void writeId(RowBinaryWriter w, byte[] b, long range, int expectedLength) {
    writeId(w, b, range, expectedLength, requestStats);
  }

  static void writeId(RowBinaryWriter w, byte[] b, long range, int expectedLength, EncodeStats stats) {
    int off = offset(range);
    int n = length(range);
    boolean zero = true;
    for (int i = off; i < off + n && zero; i++) {
      zero = b[i] == 0;
    }
    if (zero) {
      w.writeVarUInt(0);
      return;
    }
    Otlp.countWrongLength(n, expectedLength, stats);
    w.writeHexString(b, off, n);
  }
}
