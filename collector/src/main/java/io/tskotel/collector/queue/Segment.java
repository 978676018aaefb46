package io.tskotel.collector.queue;

import io.tskotel.collector.queue.internal.WalFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of a {@link DurableQueue}: the records it holds and how far they are written and synced.
 * The reader never reads past {@link #syncedEnd}, so no record reaches the consumer before its fsync
 * succeeded (a record whose append was refused is never stored).
 *
 * <p>{@code end}, {@code records} and {@code sealed} are guarded by the queue's write lock; {@code syncedEnd},
 * {@code syncedRecords} and {@code failed} change under its sync lock and are read without it.
 */
final class Segment {
  static final String SUFFIX = ".seg";

  final Path path;
  final FileChannel channel;
  /** The queue's logical byte position of this segment's first record. */
  final long logicalStart;
  /** Found on disk at open (its damage, if any, was already reported). */
  final boolean recovered;
  long end;
  long records;
  boolean sealed;
  volatile long syncedEnd;
  volatile long syncedRecords;
  /** An fsync of this segment failed: it takes no more records and nothing after {@code syncedEnd} counts. */
  volatile boolean failed;

  Segment(Path path, FileChannel channel, long logicalStart, boolean recovered) {
    this.path = path;
    this.channel = channel;
    this.logicalStart = logicalStart;
    this.recovered = recovered;
  }

  static Path fileOf(Path directory, long firstSeq) {
    return directory.resolve(String.format("%020d%s", firstSeq, SUFFIX));
  }

  /**
   * Creates the segment whose first record will be {@code firstSeq}. A failure (disk full while writing the
   * header, a failed fsync) leaves no file behind, so the next attempt starts clean instead of finding a
   * half-made file in its way.
   */
  static Segment create(Path directory, long firstSeq, long logicalStart, boolean sync) throws IOException {
    Path file = fileOf(directory, firstSeq);
    // Only a failed earlier attempt of this very process can have left it (we hold the directory lock).
    Files.deleteIfExists(file);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      WalFormat.writeFully(channel, WalFormat.fileHeader(), 0);
      if (sync) {
        channel.force(true);
        syncDirectory(directory);
      }
    } catch (IOException | RuntimeException e) {
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    Segment segment = new Segment(file, channel, logicalStart, false);
    segment.end = WalFormat.FILE_HEADER_BYTES;
    segment.syncedEnd = WalFormat.FILE_HEADER_BYTES;
    return segment;
  }

  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** Queue bytes (record headers included) this segment holds. */
  long dataBytes() {
    return end - WalFormat.FILE_HEADER_BYTES;
  }

  /** The logical position just after this segment's last record. */
  long logicalEnd() {
    return logicalStart + dataBytes();
  }

  /** Closes and deletes the file; deleting needs no free space. */
  void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(path);
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + end + (sealed ? ", sealed" : "") + (failed ? ", failed" : "") + "]";
  }
}
