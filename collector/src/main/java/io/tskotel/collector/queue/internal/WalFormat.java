package io.tskotel.collector.queue.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk layout of queue segments (and dead-letter files). A file starts with the 8-byte magic
 * {@code TSKQWAL1}; then records follow, each:
 *
 * <pre>
 *   int32  length of payload (big endian)
 *   int32  CRC32C over (length, seq, payload)
 *   int64  sequence number, strictly increasing within a queue
 *   bytes  payload
 * </pre>
 *
 * A record is valid only if its length fits the file, its sequence number is above the previous one and
 * its checksum matches: a torn write (crash mid-append) or a flipped bit fails one of these.
 */
public final class WalFormat {
  public static final long MAGIC = 0x54534B5157414C31L; // "TSKQWAL1"
  public static final int FILE_HEADER_BYTES = 8;
  public static final int RECORD_HEADER_BYTES = 16;
  /** How far ahead of the previous sequence number a resynchronized record may be. */
  private static final long MAX_SEQ_GAP = 1L << 40;

  private WalFormat() {}

  public static ByteBuffer fileHeader() {
    return ByteBuffer.allocate(FILE_HEADER_BYTES).putLong(0, MAGIC);
  }

  /** One record, ready to write. */
  public static ByteBuffer encode(long seq, byte[] payload) {
    ByteBuffer buf = ByteBuffer.allocate(RECORD_HEADER_BYTES + payload.length);
    buf.put(0, header(seq, payload).array());
    buf.put(RECORD_HEADER_BYTES, payload);
    return buf;
  }

  /**
   * Writes one record at {@code position}: its header, then the payload from where it is, without copying it
   * into a record buffer first (requests are 100s of KB; a second write call costs less than the copy). A write
   * torn between the two fails the record's checksum, as a torn single write would.
   */
  public static void write(FileChannel channel, long position, long seq, byte[] payload) throws IOException {
    writeFully(channel, header(seq, payload), position);
    writeFully(channel, ByteBuffer.wrap(payload), position + RECORD_HEADER_BYTES);
  }

  private static ByteBuffer header(long seq, byte[] payload) {
    ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
    header.putInt(0, payload.length);
    header.putLong(8, seq);
    header.putInt(4, crc(header.array(), payload, 0, payload.length));
    return header;
  }

  /** CRC32C of a record laid out at {@code off} of {@code bytes}, skipping its own crc field. */
  private static int crc(byte[] bytes, int off, int recordBytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, off, 4);
    crc.update(bytes, off + 8, recordBytes - 8);
    return (int) crc.getValue();
  }

  /** CRC32C of a record whose 16-byte header and payload lie apart, skipping the header's crc field. */
  private static int crc(byte[] header, byte[] payload, int off, int length) {
    CRC32C crc = new CRC32C();
    crc.update(header, 0, 4);
    crc.update(header, 8, RECORD_HEADER_BYTES - 8);
    crc.update(payload, off, length);
    return (int) crc.getValue();
  }

  /** Whether the file opened on {@code channel} starts with the magic. */
  public static boolean hasValidHeader(FileChannel channel) throws IOException {
    if (channel.size() < FILE_HEADER_BYTES) {
      return false;
    }
    ByteBuffer buf = ByteBuffer.allocate(FILE_HEADER_BYTES);
    readFully(channel, buf, 0);
    return buf.getLong(0) == MAGIC;
  }

  /** What {@link #read} found at an offset. */
  public record Scan(Kind kind, long seq, byte @Nullable [] payload, long next) {
    public enum Kind {
      /** A valid record; {@code next} is the offset after it. */
      RECORD,
      /** The offset is the limit: nothing more. */
      END,
      /** Invalid bytes; {@code next} is the offset of the next valid record, or -1 if none follows. */
      CORRUPT
    }
  }

  /**
   * Reads the record at {@code offset}, considering only bytes below {@code limit}. Never trusts a length
   * it has not bounded by the file and verified by the checksum.
   */
  public static Scan read(FileChannel channel, long offset, long limit, long previousSeq)
      throws IOException {
    if (offset >= limit) {
      return new Scan(Scan.Kind.END, -1, null, offset);
    }
    if (limit - offset >= RECORD_HEADER_BYTES) {
      ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
      readFully(channel, header, offset);
      int length = header.getInt(0);
      long seq = header.getLong(8);
      if (length >= 0 && length <= limit - offset - RECORD_HEADER_BYTES && seq > previousSeq) {
        // Read straight into the payload handed out: no record-sized buffer and copy per read.
        byte[] payload = new byte[length];
        readFully(channel, ByteBuffer.wrap(payload), offset + RECORD_HEADER_BYTES);
        if (crc(header.array(), payload, 0, length) == header.getInt(4)) {
          return new Scan(Scan.Kind.RECORD, seq, payload, offset + RECORD_HEADER_BYTES + length);
        }
      }
    }
    return new Scan(Scan.Kind.CORRUPT, -1, null, resync(channel, offset + 1, limit, previousSeq));
  }

  /**
   * The offset of the first valid record at or after {@code from}, or -1. A random 16-byte window passes
   * the length, sequence and CRC32C checks with probability far below 2^-32, so a damaged record costs only
   * itself, not everything behind it.
   */
  private static long resync(FileChannel channel, long from, long limit, long previousSeq)
      throws IOException {
    long n = limit - from;
    if (n < RECORD_HEADER_BYTES) {
      return -1;
    }
    // Only reached on damage: reading the rest of one segment (bounded by the segment size) is fine.
    ByteBuffer rest = ByteBuffer.allocate((int) n);
    readFully(channel, rest, from);
    byte[] bytes = rest.array();
    for (int p = 0; p + RECORD_HEADER_BYTES <= n; p++) {
      int length = rest.getInt(p);
      if (length < 0 || length > n - p - RECORD_HEADER_BYTES) {
        continue;
      }
      long seq = rest.getLong(p + 8);
      if (seq <= previousSeq || seq - previousSeq > MAX_SEQ_GAP) {
        continue;
      }
      if (crc(bytes, p, RECORD_HEADER_BYTES + length) == rest.getInt(p + 4)) {
        return from + p;
      }
    }
    return -1;
  }

  public static void readFully(FileChannel channel, ByteBuffer buf, long position)
      throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new EOFException("unexpected end of file at " + pos);
      }
      pos += n;
    }
  }

  public static void writeFully(FileChannel channel, ByteBuffer buf, long position)
      throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += channel.write(buf, pos);
    }
  }
}
