package io.tskotel.collector.queue;

import io.tskotel.collector.queue.internal.WalFormat;
import io.tskotel.collector.queue.internal.WalFormat.Scan;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a queue directory at open: every segment is scanned record by record; a torn or corrupt tail is
 * truncated, a corrupt region inside a segment skipped, a segment without records deleted, each reported to
 * the {@link QueueListener}. Opening never fails on damaged data.
 */
final class Recovery {
  private static final Logger logger = LoggerFactory.getLogger(Recovery.class);

  /**
   * What the directory holds. Logical positions count segment data bytes from the oldest live data; ordinals
   * count records the same way.
   *
   * @param segments the live segments, oldest first, all sealed
   * @param lastSeq the highest sequence number found
   * @param logicalEnd bytes in all segments
   * @param ordinalEnd records in all segments
   * @param committedLogical bytes up to the end of the last committed record
   * @param committedOrdinal records up to the last committed one
   */
  record State(
      List<Segment> segments,
      long lastSeq,
      long logicalEnd,
      long ordinalEnd,
      long committedLogical,
      long committedOrdinal) {}

  private final Path directory;
  private final QueueListener listener;

  Recovery(Path directory, QueueListener listener) {
    this.directory = directory;
    this.listener = listener;
  }

  State scan(long committedSeq) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + Segment.SUFFIX)) {
      stream.forEach(files::add);
    }
    files.sort(null); // names are zero-padded base sequence numbers
    List<Segment> segments = new ArrayList<>();
    long lastSeq = 0;
    long logical = 0;
    long ordinal = 0;
    long committedEnd = 0;
    long committedOrd = 0;
    for (Path file : files) {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long size = channel.size();
      if (!WalFormat.hasValidHeader(channel)) {
        channel.close();
        Files.delete(file);
        warnTruncated(file, 0, size, "bad segment header");
        continue;
      }
      long offset = WalFormat.FILE_HEADER_BYTES;
      long records = 0;
      while (true) {
        Scan scan = WalFormat.read(channel, offset, size, lastSeq);
        if (scan.kind() == Scan.Kind.RECORD) {
          lastSeq = scan.seq();
          records++;
          offset = scan.next();
          if (scan.seq() <= committedSeq) {
            committedEnd = logical + offset - WalFormat.FILE_HEADER_BYTES;
            committedOrd = ordinal + records;
          }
        } else if (scan.kind() == Scan.Kind.CORRUPT && scan.next() > 0) {
          logger.warn(
              "queue {}: skipped {} corrupt bytes at offset {} of {}; later records kept",
              directory, scan.next() - offset, offset, file.getFileName());
          listener.corruptRegionSkipped(file, offset, scan.next() - offset);
          offset = scan.next();
        } else {
          if (scan.kind() == Scan.Kind.CORRUPT) {
            channel.truncate(offset);
            channel.force(true);
            warnTruncated(file, offset, size - offset, "torn or corrupt tail");
          }
          break;
        }
      }
      if (records == 0) {
        channel.close();
        Files.delete(file);
        continue;
      }
      Segment segment = new Segment(file, channel, logical, true);
      segment.end = offset;
      segment.records = records;
      segment.syncedEnd = offset;
      segment.syncedRecords = records;
      segment.sealed = true;
      segments.add(segment);
      logical += offset - WalFormat.FILE_HEADER_BYTES;
      ordinal += records;
    }
    return new State(segments, lastSeq, logical, ordinal, committedEnd, committedOrd);
  }

  private void warnTruncated(Path file, long offset, long bytes, String why) {
    logger.warn(
        "queue {}: {} in {}: truncated {} bytes at offset {}", directory, why, file.getFileName(), bytes,
        offset);
    listener.tailTruncated(file, offset, bytes);
  }
}
