package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireReader.LEN;
import static io.tskotel.exporter.internal.encode.WireReader.UNSURE;
import static io.tskotel.exporter.internal.encode.WireReader.VARINT;
import static io.tskotel.exporter.internal.encode.WireReader.tag;

import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;

/**
 * The envelope every signal wraps its items in on the wire, read the same way by {@link WireSpanEncoder},
 * {@link WireLogEncoder} and {@link WireMetricEncoder}: a {@code Resource{Spans,Logs,Metrics}} (resource,
 * schema url, scopes) and a {@code Scope{Spans,Logs,Metrics}} (scope, schema url, items). One {@link Resource}
 * and one {@link Scope} per encoder, reused: nothing is allocated per item.
 */
final class WireEnvelope {
  private WireEnvelope() {}

  /** Field 1 (a message, once: protobuf merges one sent twice) and field 3 (the schema url) of an envelope. */
  abstract static class Header {
    final WireMaps maps;
    final WireReader part = new WireReader();
    final LongList kvs = new LongList();
    final RowBinaryWriter scratch = new RowBinaryWriter(256);
    long message;
    long schemaUrl;

    Header(WireMaps maps) {
      this.maps = maps;
    }

    final void readHeader(WireReader r, byte[] b, long range) {
      long m = -1;
      long url = 0;
      r.at(b, range);
      while (r.more()) {
        int tag = r.tag();
        if (tag == tag(1, LEN)) {
          if (m != -1) {
            throw UNSURE; // sent twice: protobuf merges them
          }
          m = r.lengthDelimited();
        } else if (tag == tag(3, LEN)) {
          url = r.string();
        } else {
          r.skip(tag);
        }
      }
      message = m;
      schemaUrl = url;
    }
  }

  /**
   * A resource: found first (it may follow its scopes on the wire), its service name and attribute map encoded
   * once, at its first item ({@link #encoded()} tells whether that has happened).
   */
  static final class Resource extends Header {
    byte[] serviceName;
    byte[] map;

    Resource(WireMaps maps) {
      super(maps);
    }

    /** Reads the header of the {@code Resource*} message at {@code range}; nothing encoded yet. */
    void read(WireReader r, byte[] b, long range) {
      readHeader(r, b, range);
      serviceName = null;
      map = null;
    }

    boolean encoded() {
      return map != null;
    }

    void encode(byte[] b, EncodeStats s) {
      kvs.clear();
      if (message != -1) {
        part.at(b, message);
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

  /** A scope: name, version, dropped attribute count (ranges into the request) and attributes. */
  static final class Scope extends Header {
    long name;
    long version;
    int dropped;

    Scope(WireMaps maps) {
      super(maps);
    }

    /** Reads the {@code Scope*} message at {@code range}: its header, then its scope. */
    void read(WireReader r, byte[] b, long range) {
      readHeader(r, b, range);
      name = 0;
      version = 0;
      dropped = 0;
      kvs.clear();
      if (message != -1) {
        part.at(b, message);
        while (part.more()) {
          int tag = part.tag();
          if (tag == tag(1, LEN)) {
            name = part.string();
          } else if (tag == tag(2, LEN)) {
            version = part.string();
          } else if (tag == tag(3, LEN)) {
            kvs.add(part.lengthDelimited());
          } else if (tag == tag(4, VARINT)) {
            dropped = (int) part.varint();
          } else {
            part.skip(tag);
          }
        }
      }
    }

    /** The attribute map as RowBinary, duplicate keys counted in {@code s}. */
    byte[] map(byte[] b, EncodeStats s) {
      check(b, s);
      return scratch.toByteArray();
    }

    /** Encodes the attribute map only to check it as the parser would (for a table without the column). */
    void check(byte[] b, EncodeStats s) {
      scratch.reset();
      maps.writeMap(scratch, b, kvs.values, kvs.size, 4, s);
    }
  }
}
