package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireReader.LEN;
import static io.tskotel.exporter.internal.encode.WireReader.tag;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;

/**
 * What {@link WireSpanEncoder} and {@link WireLogEncoder} share: one table, requests written in turn, each
 * walked request → resources (field 1) → scopes (field 2 of a resource) on the wire, the scope's items left to
 * the subclass; a request the wire reading is unsure of drops its rows and goes to the parser whole
 * ({@link #encodeParsed}). Not thread-safe: one per encoding thread.
 */
public abstract class WireRequestEncoder {
  final EncodeStats stats;
  final WireMaps maps = new WireMaps();
  /** Checks that write nothing (an envelope without items, scope attributes that are no column). */
  final EncodeStats discarded = new EncodeStats();
  final WireEnvelope.Resource res = new WireEnvelope.Resource(maps);
  final WireEnvelope.Scope scope = new WireEnvelope.Scope(maps);
  private final WireReader request = new WireReader();
  private final WireReader resource = new WireReader();
  /** The request being written: counted into {@link #stats} only once it is written whole. */
  EncodeStats requestStats = new EncodeStats();
  /** Items of the request being written that started before the cutoff. */
  long expired;
  private long parsedRequests;

  WireRequestEncoder(EncodeStats stats) {
    this.stats = stats;
  }

  /**
   * Writes every item of these requests; items that started before {@code cutoffNanos} (Unix nanoseconds)
   * are counted as expired (see {@code ExpiredOnArrival}).
   */
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
        WireSpanEncoder.Written parsed = encodeParsed(r, sink, cutoffNanos);
        rows += parsed.rows();
        expiredRows += parsed.expired();
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

  /**
   * The request parsed and written by the object encoder: the same rows, or the parser's error as a permanent
   * {@link StoreException}.
   */
  abstract WireSpanEncoder.Written encodeParsed(byte[] request, RowSink sink, long cutoffNanos)
      throws StoreException;

  /** Writes the items of one scope ({@code ScopeSpans}, {@code ScopeLogs}) at {@code range}; returns how many. */
  abstract int scopeItems(byte[] b, long range, RowBinaryWriter w, long cutoff);

  private int request(byte[] b, RowBinaryWriter w, long cutoff) {
    int rows = 0;
    request.at(b, 0, b.length);
    while (request.more()) {
      int tag = request.tag();
      if (tag == tag(1, LEN)) {
        rows += resource(b, request.lengthDelimited(), w, cutoff);
      } else {
        request.skip(tag);
      }
    }
    return rows;
  }

  private int resource(byte[] b, long range, RowBinaryWriter w, long cutoff) {
    res.read(resource, b, range); // schema_url: not stored, but the parser checks it
    int rows = 0;
    resource.at(b, range);
    while (resource.more()) {
      int tag = resource.tag();
      if (tag == tag(2, LEN)) {
        rows += scopeItems(b, resource.lengthDelimited(), w, cutoff);
      } else {
        resource.skip(tag);
      }
    }
    if (!res.encoded()) {
      res.encode(b, discarded); // no items: nothing written, but checked as the parser would
    }
    return rows;
  }
}
