package io.tskotel.collector.pipeline.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * The items (spans, log records) of a serialized {@code ExportTraceServiceRequest} or
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
