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
  private final WireReader part = new WireReader();
  private final WireReader record = new WireReader();
  private final RowBinaryWriter scratch = new RowBinaryWriter(256);
  private final EncodeStats discarded = new EncodeStats();
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
    long resource = -1;
    long schemaUrl = 0;
    resourceLogs.at(b, range);
    while (resourceLogs.more()) {
      int tag = resourceLogs.tag();
      if (tag == tag(1, LEN)) {
        if (resource != -1) {
          throw UNSURE; // sent twice: protobuf merges them
        }
        resource = resourceLogs.lengthDelimited();
      } else if (tag == tag(3, LEN)) {
        schemaUrl = resourceLogs.string();
      } else {
        resourceLogs.skip(tag);
      }
    }
    Resource res = new Resource(resource, schemaUrl);
    int rows = 0;
    resourceLogs.at(b, range);
    while (resourceLogs.more()) {
      int tag = resourceLogs.tag();
      if (tag == tag(2, LEN)) {
        rows += scopeLogs(b, resourceLogs.lengthDelimited(), res, w, cutoff);
      } else {
        resourceLogs.skip(tag);
      }
    }
    if (res.map == null) {
      res.encode(b, discarded); // no records: nothing written, but checked as the parser would
    }
    return rows;
  }

  /** A resource's service name and attribute map, encoded at its first record. */
  private final class Resource {
    final long range;
    final long schemaUrl;
    byte[] serviceName;
    byte[] map;

    Resource(long range, long schemaUrl) {
      this.range = range;
      this.schemaUrl = schemaUrl;
    }

    void encode(byte[] b, EncodeStats s) {
      kvs.clear();
      if (range != -1) {
        part.at(b, range);
        while (part.more()) {
          int tag = part.tag();
          if (tag == tag(1, LEN)) {
            kvs.add(part.lengthDelimited());
          } else if (tag == tag(3, LEN)) {
            throw UNSURE; // entity references: not stored; left to the parser to check
          } else {
            part.skip(tag);
          }
        }
      }
      serviceName = maps.serviceName(b, kvs.values, kvs.size, 3, s);
      scratch.reset();
      maps.writeMap(scratch, b, kvs.values, kvs.size, 3, s);
      map = scratch.toByteArray();
    }
  }

  private int scopeLogs(byte[] b, long range, Resource res, RowBinaryWriter w, long cutoff) {
    long scope = -1;
    long scopeSchemaUrl = 0;
    scopeLogs.at(b, range);
    while (scopeLogs.more()) {
      int tag = scopeLogs.tag();
      if (tag == tag(1, LEN)) {
        if (scope != -1) {
          throw UNSURE;
        }
        scope = scopeLogs.lengthDelimited();
      } else if (tag == tag(3, LEN)) {
        scopeSchemaUrl = scopeLogs.string();
      } else {
        scopeLogs.skip(tag);
      }
    }
    long scopeName = 0;
    long scopeVersion = 0;
    kvs.clear();
    if (scope != -1) {
      part.at(b, scope);
      while (part.more()) {
        int tag = part.tag();
        if (tag == tag(1, LEN)) {
          scopeName = part.string();
        } else if (tag == tag(2, LEN)) {
          scopeVersion = part.string();
        } else if (tag == tag(3, LEN)) {
          kvs.add(part.lengthDelimited());
        } else {
          part.skip(tag);
        }
      }
    }
    // The scope's map, encoded now but counted (duplicate keys) only if the scope has records, as LogEncoder.
    EncodeStats scopeStats = new EncodeStats();
    scratch.reset();
    maps.writeMap(scratch, b, kvs.values, kvs.size, 4, scopeStats);
    byte[] scopeMap = scratch.toByteArray();
    int rows = 0;
    scopeLogs.at(b, range);
    while (scopeLogs.more()) {
      int tag = scopeLogs.tag();
      if (tag == tag(2, LEN)) {
        long r = scopeLogs.lengthDelimited();
        if (res.map == null) {
          res.encode(b, requestStats);
        }
        if (rows == 0) {
          requestStats.add(scopeStats);
        }
        writeRecord(b, r, w, res, scopeSchemaUrl, scopeName, scopeVersion, scopeMap, cutoff);
        rows++;
      } else {
        scopeLogs.skip(tag);
      }
    }
    return rows;
  }

  private void writeRecord(byte[] b, long range, RowBinaryWriter w, Resource res, long scopeSchemaUrl,
      long scopeName, long scopeVersion, byte[] scopeMap, long cutoff) {
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
    writeString(w, b, scopeSchemaUrl);
    writeString(w, b, scopeName);
    writeString(w, b, scopeVersion);
    w.writeRaw(scopeMap, 0, scopeMap.length);
    maps.writeMap(w, b, kvs.values, kvs.size, 4, s);
    writeString(w, b, eventName);
  }
}
