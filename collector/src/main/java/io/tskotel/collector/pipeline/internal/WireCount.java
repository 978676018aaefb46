package io.tskotel.collector.pipeline.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;

/**
 * The items (spans, log records; metric points: {@link #metricPoints}) of a serialized {@code ExportTraceServiceRequest} or
 * {@code ExportLogsServiceRequest}, counted on the wire: both nest them the same way (field 1 resources, their
 * field 2 scopes, their field 2 items), and the count is what the parsed request's lists hold. The items
 * themselves are skipped, not read: the encoder reads them (and hands a request it cannot read to the parser,
 * whose error dead-letters it).
 */
final class WireCount {
  private static final int NESTED = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int RESOURCES = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private WireCount() {}

  static int items(byte[] request) throws InvalidProtocolBufferException {
    int items = new Fast(request, false).items();
    return items >= 0 ? items : exactItems(request);
  }

  /**
   * The points of a serialized {@code ExportMetricsServiceRequest}: its metrics sit where spans sit in a
   * trace request, and each holds its points in field 1 of its one data field (gauge, sum, histogram,
   * exponential histogram, summary). A metric whose data is sent twice (protobuf merges or replaces it) is
   * counted by the parser.
   */
  static int metricPoints(byte[] request) throws InvalidProtocolBufferException {
    int items = new Fast(request, true).items();
    if (items >= 0) {
      return items;
    }
    int points = 0;
    for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(request).getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          points += SignalWriter.Metrics.points(m);
        }
      }
    }
    return points;
  }

  /**
   * The count over plain bytes, for the common request: -1 for anything else (groups, bad tags, lengths past
   * the end), which {@link #exactItems} then counts, or refuses, exactly as protobuf's parser would.
   */
  private static final class Fast {
    private final byte[] b;
    private final boolean metrics;
    private int pos;

    Fast(byte[] b, boolean metrics) {
      this.b = b;
      this.metrics = metrics;
    }

    int items() {
      int items = 0;
      int end = b.length;
      while (pos < end) {
        int tag = tag();
        if (tag < 0) {
          return -1;
        }
        if (tag == RESOURCES) {
          int len = length(end);
          if (len < 0) {
            return -1;
          }
          int resourceEnd = pos + len;
          while (pos < resourceEnd) {
            int t = tag();
            if (t < 0) {
              return -1;
            }
            if (t == NESTED) {
              int l = length(resourceEnd);
              if (l < 0) {
                return -1;
              }
              int scopeEnd = pos + l;
              while (pos < scopeEnd) {
                int u = tag();
                int itemStart = pos;
                if (u < 0 || !skip(u, scopeEnd)) {
                  return -1;
                }
                if (u == NESTED) {
                  if (!metrics) {
                    items++;
                    continue;
                  }
                  int p = points(itemStart, pos);
                  if (p < 0) {
                    return -1;
                  }
                  items += p;
                }
              }
            } else if (!skip(t, resourceEnd)) {
              return -1;
            }
          }
        } else if (!skip(tag, end)) {
          return -1;
        }
      }
      return items;
    }

    /** The points of the metric whose length-prefixed bytes run from {@code start} to {@code end}, or -1. */
    private int points(int start, int end) {
      int saved = pos;
      pos = start;
      int len = length(end);
      int metricEnd = pos + len;
      int dataEnd = -1;
      int dataStart = -1;
      while (pos < metricEnd) {
        int t = tag();
        if (t < 0) {
          return -1;
        }
        int field = t >>> 3;
        if ((t & 7) == 2 && (field == 5 || field == 7 || field == 9 || field == 10 || field == 11)) {
          if (dataStart >= 0) {
            return -1;
          }
          int l = length(metricEnd);
          if (l < 0) {
            return -1;
          }
          dataStart = pos;
          dataEnd = pos + l;
          pos = dataEnd;
        } else if (!skip(t, metricEnd)) {
          return -1;
        }
      }
      int points = 0;
      if (dataStart >= 0) {
        pos = dataStart;
        while (pos < dataEnd) {
          int t = tag();
          if (t < 0 || !skip(t, dataEnd)) {
            return -1;
          }
          if (t == RESOURCES) { // field 1, length-delimited: a data point
            points++;
          }
        }
      }
      pos = saved;
      return points;
    }

    /** The next tag, or -1 where the exact path must decide (field 0, groups, bad wire types). */
    private int tag() {
      long v = varint(b.length);
      int tag = (int) v;
      int wireType = tag & 7;
      if (v < 0 || (tag >>> 3) == 0 || wireType == 3 || wireType == 4 || wireType > 5) {
        return -1;
      }
      return tag;
    }

    private boolean skip(int tag, int end) {
      switch (tag & 7) {
        case 0 -> {
          return varint(end) >= 0;
        }
        case 1 -> {
          pos += 8;
          return pos <= end;
        }
        case 2 -> {
          int len = length(end);
          if (len < 0) {
            return false;
          }
          pos += len;
          return true;
        }
        default -> { // 5: fixed32
          pos += 4;
          return pos <= end;
        }
      }
    }

    /** A length within {@code end}, or -1. */
    private int length(int end) {
      long v = varint(end);
      int len = (int) v;
      return v < 0 || len < 0 || len > end - pos ? -1 : len;
    }

    /** A varint's low 63 bits (enough for tags and lengths), or -1 when truncated or too long. */
    private long varint(int end) {
      long result = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        if (pos >= end) {
          return -1;
        }
        byte x = b[pos++];
        if (shift < 63) {
          result |= (long) (x & 0x7F) << shift;
        }
        if (x >= 0) {
          return result & Long.MAX_VALUE;
        }
      }
      return -1;
    }
  }

  /** protobuf's own reading of the same nesting: exact on every odd input, slower on the common one. */
  static int exactItems(byte[] request) throws InvalidProtocolBufferException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      int items = 0;
      for (int tag; (tag = in.readTag()) != 0; ) {
        if (tag == RESOURCES) {
          int limit = in.pushLimit(in.readRawVarint32());
          items += scopes(in);
          in.popLimit(limit);
        } else {
          skip(in, tag);
        }
      }
      return items;
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  private static int scopes(CodedInputStream in) throws IOException {
    int items = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == NESTED) {
        int limit = in.pushLimit(in.readRawVarint32());
        for (int t; (t = in.readTag()) != 0; ) {
          if (t == NESTED) {
            items++;
          }
          skip(in, t);
        }
        in.popLimit(limit);
      } else {
        skip(in, tag);
      }
    }
    return items;
  }

  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("an end-group tag where a field belongs");
    }
  }
}
