package io.tskotel.collector.queue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * What the producers ({@link QueueWriter}), the consumer ({@link QueueReader}) and the commit
 * ({@link DurableQueue}) share: the live segments and the queue's positions. "Logical" positions count
 * segment data bytes from the oldest live data at open; ordinals count records.
 */
final class SegmentLog {
  /** The queue directory the segments are in. */
  final Path directory;

  /**
   * Producers and the consumer's wait for data share this lock; fsync runs outside of it (under the
   * writer's sync lock). Order: writeLock before the sync lock.
   */
  final ReentrantLock writeLock = new ReentrantLock();

  final Condition dataAvailable = writeLock.newCondition();

  /** Live segments, oldest first. Guarded by writeLock. */
  final Deque<Segment> segments = new ArrayDeque<>();

  /** Where appends go; set at open, before anyone else sees the log. Guarded by writeLock. */
  Segment active;

  long nextSeq; // guarded by writeLock
  long writtenLogical; // guarded by writeLock
  long writtenOrdinal; // guarded by writeLock
  final AtomicLong syncedOrdinal = new AtomicLong();
  final AtomicLong committedLogical = new AtomicLong();
  final AtomicLong committedOrdinal = new AtomicLong();
  final AtomicLong pendingBytes = new AtomicLong();

  /** The last refusal (FULL or FAILED) while no append succeeded and no space was freed since. */
  volatile @Nullable QueueAppend refusal;

  volatile boolean closed;

  SegmentLog(Path directory) {
    this.directory = directory;
  }

  /** The segment after {@code segment}, or null. Caller holds writeLock. */
  @Nullable Segment next(Segment segment) {
    boolean found = false;
    for (Segment s : segments) {
      if (found) {
        return s;
      }
      found = s == segment;
    }
    return null;
  }
}
