package io.tskotel.collector.queue;

import io.tskotel.collector.queue.internal.WalFormat;
import io.tskotel.collector.queue.internal.WalFormat.Scan;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's side of a {@link DurableQueue}: its read position, and reading the next synced records in
 * order across segments, skipping what was committed before the last shutdown and damage that appeared in
 * this run. Only the consumer thread calls it.
 */
final class QueueReader {
  private static final Logger logger = LoggerFactory.getLogger(DurableQueue.class);

  private final QueueListener listener;
  private final SegmentLog log;
  /** Records up to this seq were committed before the last shutdown: replay starts after it. */
  private final long replayAfterSeq;

  private Segment readSegment;
  private long readOffset = WalFormat.FILE_HEADER_BYTES;
  private long lastReadSeq; // of any record read, including replayed committed ones
  private long deliveredOrdinal;

  /** Starts at the oldest segment of a just recovered {@code log}; what it committed counts as delivered. */
  QueueReader(SegmentLog log, QueueListener listener, long replayAfterSeq) {
    this.log = log;
    this.listener = listener;
    this.replayAfterSeq = replayAfterSeq;
    this.readSegment = log.segments.getFirst();
    this.deliveredOrdinal = log.committedOrdinal.get();
  }

  /** The segment being read: it is not deleted while the reader is in it. */
  Segment segment() {
    return readSegment;
  }

  /** See {@link DurableQueue#poll}. */
  List<QueueRecord> poll(int maxRecords, long maxBytes, Duration timeout) throws IOException, InterruptedException {
    List<QueueRecord> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    long bytes = 0;
    while (out.size() < maxRecords && bytes < maxBytes) {
      QueueRecord record = readNext();
      if (record != null) {
        out.add(record);
        bytes += record.payload().length;
        continue;
      }
      if (!out.isEmpty() || log.closed) {
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      log.writeLock.lock();
      try {
        if (!hasUnreadLocked() && !log.closed) {
          log.dataAvailable.awaitNanos(remaining);
        }
      } finally {
        log.writeLock.unlock();
      }
    }
    return out;
  }

  /** Caller holds writeLock. */
  boolean hasUnreadLocked() {
    return deliveredOrdinal < log.syncedOrdinal.get();
  }

  private @Nullable QueueRecord readNext() throws IOException {
    while (true) {
      Segment segment = readSegment;
      long limit;
      boolean done;
      Segment next;
      log.writeLock.lock();
      try {
        limit = segment.syncedEnd; // never past the last successful fsync
        done = segment.sealed || segment.failed;
        next = log.next(segment);
      } finally {
        log.writeLock.unlock();
      }
      Scan scan = WalFormat.read(segment.channel, readOffset, limit, lastReadSeq);
      switch (scan.kind()) {
        case RECORD -> {
          readOffset = scan.next();
          lastReadSeq = scan.seq();
          if (scan.seq() <= replayAfterSeq) {
            continue; // committed before the last shutdown: replay starts after it
          }
          long ordinal = ++deliveredOrdinal;
          long logicalEnd = segment.logicalStart + readOffset - WalFormat.FILE_HEADER_BYTES;
          return new QueueRecord(scan.seq(), scan.payload(), logicalEnd, ordinal);
        }
        case CORRUPT -> {
          // Recovery already reported damage in replayed segments; damage appearing in this run is new.
          if (scan.next() > 0) {
            if (!segment.recovered) {
              logger.warn("queue {}: skipped corrupt bytes at offset {} of {}", log.directory, readOffset,
                  segment.path.getFileName());
              listener.corruptRegionSkipped(segment.path, readOffset, scan.next() - readOffset);
            }
            readOffset = scan.next();
            continue;
          }
          if (!done || next == null) {
            throw new IOException("queue " + log.directory + ": unreadable record at offset " + readOffset
                + " of the active segment " + segment.path.getFileName());
          }
          logger.warn("queue {}: skipped unreadable tail of {}", log.directory, segment.path.getFileName());
          listener.tailTruncated(segment.path, readOffset, limit - readOffset);
          readSegment = next;
          readOffset = WalFormat.FILE_HEADER_BYTES;
        }
        case END -> {
          if (!done || next == null) {
            return null;
          }
          readSegment = next;
          readOffset = WalFormat.FILE_HEADER_BYTES;
        }
      }
    }
  }
}
