package io.tskotel.collector.queue;

import io.tskotel.collector.queue.internal.WalFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's {@code committed} file: the sequence number up to which records are done with. It holds two
 * 12-byte slots (seq, CRC32C) written alternately in place, so a commit overwrites bytes that already exist
 * and never needs free space: on a full disk committing, and so deleting segments and freeing space, keeps
 * working. A torn write damages one slot only; the other still holds the previous commit. Reading takes the
 * higher valid slot.
 */
final class CommitFile implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(CommitFile.class);
  static final String NAME = "committed";
  private static final int SLOT_BYTES = 12;
  private static final int FILE_BYTES = 2 * SLOT_BYTES;

  private final Path directory;
  private final boolean sync;
  private final FileChannel channel;
  private long committedSeq;
  private int newestSlot;

  private CommitFile(Path directory, boolean sync, FileChannel channel, long committedSeq, int newestSlot) {
    this.directory = directory;
    this.sync = sync;
    this.channel = channel;
    this.committedSeq = committedSeq;
    this.newestSlot = newestSlot;
  }

  /**
   * Opens the commit file of {@code directory}, creating it (or rewriting a damaged or older single-slot
   * one) while the queue opens. A damaged file means replaying every record: duplicates, never loss.
   */
  static CommitFile open(Path directory, boolean sync) throws IOException {
    Path file = directory.resolve(NAME);
    byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : null;
    long seq = 0;
    int newest = 0;
    boolean rewrite = bytes == null || bytes.length != FILE_BYTES;
    if (bytes != null) {
      long a = bytes.length >= SLOT_BYTES ? slot(bytes, 0) : -1;
      long b = bytes.length >= FILE_BYTES ? slot(bytes, SLOT_BYTES) : -1;
      if (a < 0 && b < 0) {
        logger.warn("queue {}: commit file is damaged; replaying every record on disk", directory);
        rewrite = true;
      } else {
        seq = Math.max(a, b);
        newest = b > a ? 1 : 0;
      }
    }
    if (rewrite) {
      create(directory, file, seq, sync);
      newest = 0;
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new CommitFile(directory, sync, channel, seq, newest);
  }

  /** The slot's sequence number, or -1 when its checksum does not match. */
  private static long slot(byte[] bytes, int offset) {
    ByteBuffer buf = ByteBuffer.wrap(bytes, offset, SLOT_BYTES).slice();
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, 8);
    return (int) crc.getValue() == buf.getInt(8) ? buf.getLong(0) : -1;
  }

  private static ByteBuffer encode(long seq) {
    ByteBuffer buf = ByteBuffer.allocate(SLOT_BYTES).putLong(0, seq);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, 8);
    return buf.putInt(8, (int) crc.getValue());
  }

  /** Writes a full two-slot file atomically (temporary file, rename): only at open. */
  private static void create(Path directory, Path file, long seq, boolean sync) throws IOException {
    Path tmp = directory.resolve(NAME + ".tmp");
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      WalFormat.writeFully(channel, encode(seq), 0);
      WalFormat.writeFully(channel, encode(seq), SLOT_BYTES);
      if (sync) {
        channel.force(true);
      }
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("queue directory " + directory + " does not support atomic rename", e);
    }
    if (sync) {
      Segment.syncDirectory(directory);
    }
  }

  long committedSeq() {
    return committedSeq;
  }

  /** Durably records {@code seq} in the older slot, in place. Only the consumer calls this. */
  void write(long seq) throws IOException {
    int slot = 1 - newestSlot;
    WalFormat.writeFully(channel, encode(seq), (long) slot * SLOT_BYTES);
    if (sync) {
      channel.force(false);
    }
    newestSlot = slot;
    committedSeq = seq;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      logger.debug("queue {}: closing the commit file", directory, e);
    }
  }
}
