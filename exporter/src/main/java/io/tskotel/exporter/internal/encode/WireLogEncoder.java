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
public final class WireLogEncoder {
  private final EncodeStats stats;
  private final LogEncoder fallback;
  private final WireMaps maps = new WireMaps();
  private final WireReader request = new WireReader();
  private final WireReader resourceLogs = new WireReader();
  private final WireReader scopeLogs = new WireReader();
  private final WireReader record = new WireReader();
  private final EncodeStats discarded = new EncodeStats();
  private final WireEnvelope.Resource res = new WireEnvelope.Resource(maps);
  private final WireEnvelope.Scope scope = new WireEnvelope.Scope(maps);
  private final LongList kvs = new LongList();
  private EncodeStats requestStats = new EncodeStats();
  private long parsedRequests;
  private long expired;

  public WireLogEncoder(EncodeStats stats) {
    this.stats = stats;
    this.fallback = new LogEncoder(stats);
  }

  /** Writes every log record of these requests; see {@link WireSpanEncoder#encode}. */
  public WireSpanEncoder.Written encode(List<byte[]> requests, RowSink sink, long cutoffNanos)
      throws StoreException {
    long rows = 0;
    long expiredRows = 0;
    for (byte[] r : requests) {
      RowBinaryWriter w = sink.writer();
      int mark = w.size();
      requestStats = new EncodeStats();
      expired = 0;
      int n;
      try {
        n = request(r, w, cutoffNanos);
        stats.add(requestStats);
        expiredRows += expired;
      } catch (WireReader.Unsure e) {
        w.truncate(mark);
        parsedRequests++;
        List<ResourceLogs> parsed = parse(r);
        rows += fallback.encode(parsed, sink);
        expiredRows += ExpiredOnArrival.logs(parsed, cutoffNanos);
        continue;
      }
      sink.endRows(n);
      rows += n;
    }
    return new WireSpanEncoder.Written(rows, expiredRows);
  }

  /** Requests this encoder handed to the generated parser (see the class comment), for tests. */
  public long parsedRequests() {
    return parsedRequests;
  }

  private static List<ResourceLogs> parse(byte[] r) throws StoreException {
    try {
      return ExportLogsServiceRequest.parseFrom(r).getResourceLogsList();
    } catch (InvalidProtocolBufferException e) {
      throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
    }
  }

  private int request(byte[] b, RowBinaryWriter w, long cutoff) {
    int rows = 0;
    request.at(b, 0, b.length);
    while (request.more()) {
      int tag = request.tag();
      if (tag == tag(1, LEN)) {
        rows += resourceLogs(b, request.lengthDelimited(), w, cutoff);
      } else {
        request.skip(tag);
      }
    }
    return rows;
  }

  private int resourceLogs(byte[] b, long range, RowBinaryWriter w, long cutoff) {
    res.read(resourceLogs, b, range);
    int rows = 0;
    resourceLogs.at(b, range);
    while (resourceLogs.more()) {
      int tag = resourceLogs.tag();
      if (tag == tag(2, LEN)) {
        rows += scopeLogs(b, resourceLogs.lengthDelimited(), w, cutoff);
      } else {
        resourceLogs.skip(tag);
      }
    }
    if (!res.encoded()) {
      res.encode(b, discarded); // no records: nothing written, but checked as the parser would
    }
    return rows;
  }

  private int scopeLogs(byte[] b, long range, RowBinaryWriter w, long cutoff) {
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
