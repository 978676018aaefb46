package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireReader.FIXED32;
import static io.tskotel.exporter.internal.encode.WireReader.FIXED64;
import static io.tskotel.exporter.internal.encode.WireReader.LEN;
import static io.tskotel.exporter.internal.encode.WireReader.UNSURE;
import static io.tskotel.exporter.internal.encode.WireReader.VARINT;
import static io.tskotel.exporter.internal.encode.WireReader.tag;
import static io.tskotel.exporter.internal.encode.WireSpanEncoder.writeId;
import static io.tskotel.exporter.internal.encode.WireSpanEncoder.writeString;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.internal.store.ExpiredOnArrival;
import java.util.List;

/**
 * Serialized {@code ExportLogsServiceRequest}s straight into {@code otel_logs} rows, byte for byte what
 * {@link LogEncoder} writes from the parsed request; same rules as {@link WireSpanEncoder} (whole requests,
 * the generated parser for what the wire reading does not handle). Not thread-safe: one per encoding thread.
 */
public final class WireLogEncoder extends WireRequestEncoder {
  private final LogEncoder fallback;
  private final WireReader scopeLogs = new WireReader();
  private final WireReader record = new WireReader();
  private final LongList kvs = new LongList();

  public WireLogEncoder(EncodeStats stats) {
    super(stats);
    this.fallback = new LogEncoder(stats);
  }

  @Override
  WireSpanEncoder.Written encodeParsed(byte[] request, RowSink sink, long cutoffNanos) throws StoreException {
    List<ResourceLogs> parsed;
    try {
      parsed = ExportLogsServiceRequest.parseFrom(request).getResourceLogsList();
    } catch (InvalidProtocolBufferException e) {
      throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
    }
    return new WireSpanEncoder.Written(fallback.encode(parsed, sink), ExpiredOnArrival.logs(parsed, cutoffNanos));
  }

  @Override
  int scopeItems(byte[] b, long range, RowBinaryWriter w, long cutoff) {
    scope.read(scopeLogs, b, range);
    // The scope's map, encoded now but counted (duplicate keys) only if the scope has records, as LogEncoder.
    EncodeStats scopeStats = new EncodeStats();
    byte[] scopeMap = scope.map(b, scopeStats);
    int rows = 0;
    scopeLogs.at(b, range);
    while (scopeLogs.more()) {
      int tag = scopeLogs.tag();
      if (tag == tag(2, LEN)) {
        long r = scopeLogs.lengthDelimited();
        if (!res.encoded()) {
          res.encode(b, requestStats);
        }
        if (rows == 0) {
          requestStats.add(scopeStats);
        }
        writeRecord(b, r, w, scopeMap, cutoff);
        rows++;
      } else {
        scopeLogs.skip(tag);
      }
    }
    return rows;
  }

  private void writeRecord(byte[] b, long range, RowBinaryWriter w, byte[] scopeMap, long cutoff) {
    long time = 0;
    long observed = 0;
    int severity = 0;
    long severityText = 0;
    long body = -1;
    int flags = 0;
    long traceId = 0;
    long spanId = 0;
    long eventName = 0;
    kvs.clear();
    record.at(b, range);
    while (record.more()) {
      int tag = record.tag();
      switch (tag) {
        case 1 << 3 | FIXED64 -> time = record.fixed64();
        case 11 << 3 | FIXED64 -> observed = record.fixed64();
        case 2 << 3 | VARINT -> severity = (int) record.varint();
        case 3 << 3 | LEN -> severityText = record.string();
        case 5 << 3 | LEN -> {
          if (body != -1) {
            throw UNSURE; // a message field twice merges: left to the parser
          }
          body = record.lengthDelimited();
        }
        case 6 << 3 | LEN -> kvs.add(record.lengthDelimited());
        case 8 << 3 | FIXED32 -> flags = record.fixed32();
        case 9 << 3 | LEN -> traceId = record.lengthDelimited();
        case 10 << 3 | LEN -> spanId = record.lengthDelimited();
        case 12 << 3 | LEN -> eventName = record.string();
        default -> record.skip(tag);
      }
    }
    EncodeStats s = requestStats;
    // A record without its own time takes the time it was observed, as upstream does.
    long t = time != 0 ? time : observed;
    if (t >= 0 && t < cutoff) {
      expired++;
    }
    Otlp.writeNanos(w, t, s);
    writeId(w, b, traceId, 16, s);
    writeId(w, b, spanId, 8, s);
    w.writeUInt8(flags & 0xFF);
    writeString(w, b, severityText);
    if (severity < 0 || severity > 255) {
      s.unknownEnumValue.increment();
      severity = 0;
    }
    w.writeUInt8(severity);
    w.writeRaw(res.serviceName, 0, res.serviceName.length);
    maps.writeValue(w, b, body, 4);
    writeString(w, b, res.schemaUrl);
    w.writeRaw(res.map, 0, res.map.length);
    writeString(w, b, scope.schemaUrl);
    writeString(w, b, scope.name);
    writeString(w, b, scope.version);
    w.writeRaw(scopeMap, 0, scopeMap.length);
    maps.writeMap(w, b, kvs.values, kvs.size, 4, s);
    writeString(w, b, eventName);
  }
}
