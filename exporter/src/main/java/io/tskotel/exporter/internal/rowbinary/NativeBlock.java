package io.tskotel.exporter.internal.rowbinary;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns RowBinary rows into one block of ClickHouse's Native format, column by column, driven by the
 * columns' types: the engine parses a Native block as whole columns, at about half the CPU per row of
 * RowBinary, which it reads value by value.
 *
 * <p>A block (revision 0, as the {@code Native} input format reads it, without block info): the number of
 * columns and of rows as varints, then per column its name, its type name and its data. Fixed-width values
 * and strings are laid out as in RowBinary, back to back; {@code Array(T)} is the cumulative element counts
 * as UInt64, then the elements' column; {@code Map(K, V)} is the same offsets, then all keys, then all
 * values; {@code Nullable(T)} is a null map (UInt8 per value), then the values, defaults where null.
 *
 * <p>The encoders keep writing RowBinary; a chunk is transcoded just before it is sent. One instance per
 * thread: it keeps its column buffers between calls ({@link Schema} is shared).
 */
public final class NativeBlock {
  private Stream[] streams = new Stream[0];
  private final RowBinaryWriter out = new RowBinaryWriter();
  private byte[] in;
  private int pos;

  /** A table's columns compiled for transcoding; immutable and shared between threads. */
  public static final class Schema {
    private final byte[][] names;
    private final byte[][] types;
    private final Node[] nodes;
    private final int streamCount;

    private Schema(List<String> names, List<ColumnType> types) {
      this.names = new byte[names.size()][];
      this.types = new byte[names.size()][];
      this.nodes = new Node[names.size()];
      int[] next = {0};
      for (int i = 0; i < nodes.length; i++) {
        this.names[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
        this.types[i] = types.get(i).nativeName().getBytes(StandardCharsets.UTF_8);
        nodes[i] = compile(types.get(i), next);
      }
      streamCount = next[0];
    }

    /**
     * The columns {@code names} (in the insert's order) of types {@code types} as the engine names them.
     *
     * @throws IllegalArgumentException for a type the transcoder does not handle
     */
    public static Schema of(List<String> names, List<String> types) {
      requireNonNull(names, "names");
      requireNonNull(types, "types");
      if (names.size() != types.size()) {
        throw new IllegalArgumentException(
            "types: " + types.size() + " (expected: one per column, " + names.size() + ")");
      }
      return new Schema(names, types.stream().map(ColumnType::parse).toList());
    }

    /** The type name announced for column {@code i}. */
    public String nativeType(int i) {
      return new String(types[i], StandardCharsets.UTF_8);
    }
  }

  /**
   * Transcodes {@code rowCount} RowBinary rows of {@code schema}'s columns, the first {@code length} bytes
   * of {@code rows}. The block is in the returned writer ({@code buffer()}, {@code size()}), valid until
   * the next call.
   *
   * @throws IllegalStateException when the bytes are not {@code rowCount} rows of those columns
   */
  public RowBinaryWriter transcode(Schema schema, byte[] rows, int length, int rowCount) {
    requireNonNull(schema, "schema");
    requireNonNull(rows, "rows");
    if (streams.length < schema.streamCount) {
      int old = streams.length;
      streams = Arrays.copyOf(streams, schema.streamCount);
      for (int i = old; i < streams.length; i++) {
        streams[i] = new Stream();
      }
    }
    for (int i = 0; i < schema.streamCount; i++) {
      streams[i].reset();
    }
    in = rows;
    pos = 0;
    Node[] nodes = schema.nodes;
    try {
      for (int r = 0; r < rowCount; r++) {
        for (Node node : nodes) {
          node.read(this);
        }
      }
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalStateException("RowBinary ended inside the rows (" + rowCount + " rows, " + length
          + " bytes)", e);
    } finally {
      in = null;
    }
    if (pos != length) {
      throw new IllegalStateException(
          "RowBinary of " + rowCount + " rows took " + pos + " bytes (expected: " + length + ")");
    }
    out.reset();
    out.writeVarUInt(nodes.length).writeVarUInt(rowCount);
    for (int c = 0; c < nodes.length; c++) {
      out.writeSize(schema.names[c].length).writeRaw(schema.names[c], 0, schema.names[c].length);
      out.writeSize(schema.types[c].length).writeRaw(schema.types[c], 0, schema.types[c].length);
      nodes[c].write(this);
    }
    return out;
  }

  /** Bytes held by the column buffers and the block (to decide whether to keep this instance). */
  public long retainedBytes() {
    long n = out.buffer().length;
    for (Stream s : streams) {
      n += s.buf.length;
    }
    return n;
  }

  private static Node compile(ColumnType type, int[] next) {
    return switch (type) {
      case ColumnType.Fixed f -> new FixedNode(next[0]++, f.width());
      case ColumnType.Str s -> new StringNode(next[0]++);
      case ColumnType.Array a -> new ArrayNode(next[0]++, compile(a.element(), next));
      case ColumnType.MapOf m -> {
        int offsets = next[0]++;
        Node key = compile(m.key(), next);
        yield new MapNode(offsets, key, compile(m.value(), next));
      }
      case ColumnType.Nullable n -> new NullableNode(next[0]++, compile(n.inner(), next));
    };
  }

  private int readVarInt() {
    long value = 0;
    int shift = 0;
    byte b;
    do {
      b = in[pos++];
      value |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0 && shift < 64);
    if (b < 0 || value < 0 || value > Integer.MAX_VALUE) {
      throw new IllegalStateException("RowBinary size " + value + " at byte " + pos + " out of range");
    }
    return (int) value;
  }

  /** A growable byte buffer for one stream of one column; {@code count} is an array's running offset. */
  private static final class Stream {
    byte[] buf = new byte[256];
    int size;
    long count;

    void reset() {
      size = 0;
      count = 0;
    }

    void ensure(int extra) {
      int needed = size + extra;
      if (needed < 0) {
        throw new IllegalStateException("Native column over 2 GiB");
      }
      if (needed > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(Math.max((long) buf.length * 2, needed), Integer.MAX_VALUE - 16));
      }
    }

    void append(byte[] src, int offset, int length) {
      ensure(length);
      System.arraycopy(src, offset, buf, size, length);
      size += length;
    }

    void appendByte(byte v) {
      ensure(1);
      buf[size++] = v;
    }

    void appendZeros(int length) {
      ensure(length);
      Arrays.fill(buf, size, size + length, (byte) 0);
      size += length;
    }

    void appendUInt64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[size++] = (byte) (v >>> (8 * i));
      }
    }
  }

  /** One value of one (sub-)column: read from RowBinary into its streams, and written out as a column. */
  private abstract static class Node {
    final int stream;

    Node(int stream) {
      this.stream = stream;
    }

    abstract void read(NativeBlock b);

    /** A null's placeholder in a Nullable column: the type's default. */
    abstract void appendDefault(NativeBlock b);

    void write(NativeBlock b) {
      Stream s = b.streams[stream];
      b.out.writeRaw(s.buf, 0, s.size);
    }
  }

  private static final class FixedNode extends Node {
    final int width;

    FixedNode(int stream, int width) {
      super(stream);
      this.width = width;
    }

    @Override
    void read(NativeBlock b) {
      b.streams[stream].append(b.in, b.pos, width);
      b.pos += width;
    }

    /** {@code n} values at once: an array of a fixed-width type is one copy. */
    void readMany(NativeBlock b, int n) {
      int bytes = Math.multiplyExact(n, width);
      b.streams[stream].append(b.in, b.pos, bytes);
      b.pos += bytes;
    }

    @Override
    void appendDefault(NativeBlock b) {
      b.streams[stream].appendZeros(width);
    }
  }

  private static final class StringNode extends Node {
    StringNode(int stream) {
      super(stream);
    }

    @Override
    void read(NativeBlock b) {
      copy(b, b.streams[stream]);
    }

    /** Length and bytes are the same in both formats: one copy. */
    static void copy(NativeBlock b, Stream s) {
      int start = b.pos;
      byte first = b.in[start];
      int length;
      if (first >= 0) { // a length under 128, the common case
        length = first;
        b.pos = start + 1;
      } else {
        length = b.readVarInt();
      }
      int end = b.pos + length;
      if (end > b.in.length || end < 0) {
        throw new IndexOutOfBoundsException(end);
      }
      s.append(b.in, start, end - start);
      b.pos = end;
    }

    @Override
    void appendDefault(NativeBlock b) {
      b.streams[stream].appendZeros(1);
    }
  }

  /** A column of sizes (arrays, maps): RowBinary's count before each value, Native's cumulative offsets. */
  private abstract static class SizedNode extends Node {
    SizedNode(int offsets) {
      super(offsets);
    }

    /** Reads a value's count and appends its end offset. */
    final int readSize(NativeBlock b) {
      int n = b.readVarInt();
      Stream offsets = b.streams[stream];
      offsets.count += n;
      offsets.appendUInt64(offsets.count);
      return n;
    }

    @Override
    final void appendDefault(NativeBlock b) {
      Stream offsets = b.streams[stream];
      offsets.appendUInt64(offsets.count);
    }
  }

  private static final class ArrayNode extends SizedNode {
    final Node element;

    ArrayNode(int offsets, Node element) {
      super(offsets);
      this.element = element;
    }

    @Override
    void read(NativeBlock b) {
      int n = readSize(b);
      if (element instanceof FixedNode fixed) {
        fixed.readMany(b, n);
      } else {
        for (int i = 0; i < n; i++) {
          element.read(b);
        }
      }
    }

    @Override
    void write(NativeBlock b) {
      super.write(b);
      element.write(b);
    }
  }

  private static final class MapNode extends SizedNode {
    final Node key;
    final Node value;

    /** Both strings (attribute maps, the common case): copied without a virtual call per key and value. */
    final boolean strings;

    MapNode(int offsets, Node key, Node value) {
      super(offsets);
      this.key = key;
      this.value = value;
      this.strings = key instanceof StringNode && value instanceof StringNode;
    }

    @Override
    void read(NativeBlock b) {
      int n = readSize(b);
      if (strings) {
        Stream keys = b.streams[key.stream];
        Stream values = b.streams[value.stream];
        for (int i = 0; i < n; i++) {
          StringNode.copy(b, keys);
          StringNode.copy(b, values);
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        key.read(b);
        value.read(b);
      }
    }

    @Override
    void write(NativeBlock b) {
      super.write(b);
      key.write(b);
      value.write(b);
    }
  }

  private static final class NullableNode extends Node {
    final Node inner;

    NullableNode(int nullMap, Node inner) {
      super(nullMap);
      this.inner = inner;
    }

    @Override
    void read(NativeBlock b) {
      byte isNull = b.in[b.pos++];
      b.streams[stream].appendByte(isNull);
      if (isNull != 0) {
        inner.appendDefault(b);
      } else {
        inner.read(b);
      }
    }

    @Override
    void appendDefault(NativeBlock b) {
      throw new IllegalStateException("Nullable inside Nullable");
    }

    @Override
    void write(NativeBlock b) {
      super.write(b);
      inner.write(b);
    }
  }
}
