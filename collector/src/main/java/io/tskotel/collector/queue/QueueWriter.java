package io.tskotel.collector.queue;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.queue.internal.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producers' side of a {@link DurableQueue}: appending to the active segment, rolling over to the next,
 * and making records durable under the {@link FsyncPolicy} (a shared fdatasync per call with {@code always},
 * a flusher thread with {@code interval}). A record counts as synced, and so reaches the reader, only once
 * its fsync succeeded; a failed fsync retires its segment at the last synced byte.
 */
final class QueueWriter {
  private static final Logger logger = LoggerFactory.getLogger(DurableQueue.class);

  private final QueueConfig config;
  private final Path directory;
  private final SegmentLog log;
  private final ThrottledLog syncLog = new ThrottledLog(logger, Duration.ofSeconds(10));

  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition synced = syncLock.newCondition();

  /** Set once close() made its last fsync: waiters still below their target then fail. */
  private volatile boolean finalSyncDone;

  private @Nullable Thread flusher;

  QueueWriter(QueueConfig config, SegmentLog log) {
    this.config = config;
    this.directory = log.directory;
    this.log = log;
  }

  /** Starts the flusher of {@link FsyncPolicy#INTERVAL}; nothing for the other policies. */
  void start() {
    if (config.fsync() == FsyncPolicy.INTERVAL) {
      flusher = Thread.ofPlatform().daemon().name("tskotel-queue-fsync-" + directory.getFileName())
          .start(this::flushLoop);
    }
  }

  /** Creates the next active segment, starting at the next seq. Caller holds writeLock (or is opening). */
  void startSegment() throws IOException {
    Segment segment =
        Segment.create(directory, log.nextSeq, log.writtenLogical, config.fsync() != FsyncPolicy.NEVER);
    log.segments.addLast(segment);
    log.active = segment;
  }

  /** See {@link DurableQueue#append}. */
  QueueAppend append(byte[] payload) {
    requireNonNull(payload, "payload");
    long size = WalFormat.RECORD_HEADER_BYTES + (long) payload.length;
    if (size > config.segmentBytes() - WalFormat.FILE_HEADER_BYTES) {
      return QueueAppend.tooLarge();
    }
    long seq;
    Segment segment;
    long recordEnd;
    log.writeLock.lock();
    try {
      if (log.closed) {
        return QueueAppend.closed();
      }
      if (log.active.failed) {
        retire(log.active);
      }
      if (log.pendingBytes.get() + size > config.maxBytes()) {
        return refused(QueueAppend.full());
      }
      if (log.active.sealed || log.active.end + size > config.segmentBytes()) {
        rollover();
      }
      seq = log.nextSeq;
      segment = log.active;
      long start = segment.end;
      try {
        WalFormat.write(segment.channel, start, seq, payload);
      } catch (IOException e) {
        // Leave no half record behind for the reader; recovery would cut it anyway.
        try {
          segment.channel.truncate(start);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        return refused(QueueAppend.failed(e));
      }
      log.nextSeq++;
      recordEnd = start + size;
      segment.end = recordEnd;
      segment.records++;
      log.writtenLogical += size;
      log.writtenOrdinal++;
      log.pendingBytes.addAndGet(size);
      if (config.fsync() == FsyncPolicy.NEVER) {
        markSynced(segment, recordEnd, segment.records);
        log.dataAvailable.signalAll();
      }
    } catch (IOException e) {
      return refused(QueueAppend.failed(e));
    } finally {
      log.writeLock.unlock();
    }
    try {
      switch (config.fsync()) {
        case ALWAYS -> syncTo(segment, recordEnd);
        case INTERVAL -> awaitSynced(segment, recordEnd);
        case NEVER -> {}
      }
    } catch (IOException e) {
      return refused(QueueAppend.failed(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QueueAppend.failed(e);
    }
    log.refusal = null;
    return QueueAppend.appended(seq);
  }

  private QueueAppend refused(QueueAppend outcome) {
    log.refusal = outcome;
    return outcome;
  }

  /**
   * Seals the active segment (synced first) and starts a new one. Caller holds writeLock. When creating the
   * new segment fails, the old one stays active but sealed, and the next append tries again.
   */
  private void rollover() throws IOException {
    Segment old = log.active;
    if (!old.sealed) {
      syncLock.lock();
      try {
        if (config.fsync() != FsyncPolicy.NEVER && !old.failed && old.syncedEnd < old.end) {
          try {
            old.channel.force(false);
            markSynced(old, old.end, old.records);
          } catch (IOException e) {
            old.failed = true;
            syncLog.warn("queue " + directory + ": fsync of " + old.path.getFileName()
                + " failed; its unsynced records are refused", e);
          }
        }
        synced.signalAll();
      } finally {
        syncLock.unlock();
      }
      if (old.failed) {
        retire(old);
      }
      old.sealed = true;
      log.dataAvailable.signalAll();
    }
    startSegment();
  }

  /**
   * Cuts a segment whose fsync failed back to its last synced byte and seals it: what was written after it
   * was refused to its producers, so it must never reach the consumer or count as pending. Caller holds
   * writeLock; the segment's synced position no longer moves (syncers check {@code failed} first).
   */
  private void retire(Segment segment) {
    long bytes = segment.end - segment.syncedEnd;
    if (bytes > 0) {
      log.writtenLogical -= bytes;
      log.writtenOrdinal -= segment.records - segment.syncedRecords;
      log.pendingBytes.addAndGet(-bytes);
      segment.end = segment.syncedEnd;
      segment.records = segment.syncedRecords;
      try {
        segment.channel.truncate(segment.syncedEnd);
      } catch (IOException e) {
        // The reader stops at syncedEnd anyway; only a restart could replay these refused records.
        syncLog.warn("queue " + directory + ": cutting the unsynced tail of " + segment.path.getFileName()
            + " failed", e);
      }
    }
    segment.sealed = true;
  }

  /** Caller holds syncLock (or writeLock with fsync never, where nobody syncs). */
  private void markSynced(Segment segment, long end, long records) {
    log.syncedOrdinal.addAndGet(records - segment.syncedRecords);
    segment.syncedRecords = records;
    segment.syncedEnd = end;
  }

  /**
   * Makes {@code segment} durable up to {@code target}. Concurrent callers share one fdatasync: whoever syncs
   * covers everything written before it started.
   */
  private void syncTo(Segment segment, long target) throws IOException {
    if (segment.syncedEnd >= target) {
      return;
    }
    Written written = written(segment);
    syncSegment(segment, target, written.end(), written.records());
  }

  /** A segment and how far it is written, read together. */
  private record Written(Segment segment, long end, long records) {}

  /** How far {@code segment} (the active one when null) is written. Takes writeLock. */
  private Written written(@Nullable Segment segment) {
    log.writeLock.lock();
    try {
      Segment s = segment != null ? segment : log.active;
      return new Written(s, s.end, s.records);
    } finally {
      log.writeLock.unlock();
    }
  }

  private void syncSegment(Segment segment, long target, long end, long records) throws IOException {
    syncLock.lock();
    try {
      if (segment.syncedEnd >= target) {
        return;
      }
      if (segment.failed) {
        throw new IOException("queue " + directory + ": fsync of " + segment.path.getFileName() + " failed");
      }
      try {
        segment.channel.force(false);
      } catch (IOException e) {
        segment.failed = true;
        synced.signalAll();
        throw e;
      }
      if (end > segment.syncedEnd) {
        markSynced(segment, end, records);
      }
      synced.signalAll();
    } finally {
      syncLock.unlock();
    }
    log.writeLock.lock();
    try {
      log.dataAvailable.signalAll();
    } finally {
      log.writeLock.unlock();
    }
  }

  private void awaitSynced(Segment segment, long target) throws IOException, InterruptedException {
    syncLock.lock();
    try {
      while (segment.syncedEnd < target) {
        if (segment.failed) {
          throw new IOException("queue " + directory + ": fsync of " + segment.path.getFileName() + " failed");
        }
        if (finalSyncDone) {
          throw new IOException("queue closed before fsync");
        }
        synced.await(config.fsyncInterval().toNanos() * 4 + 1_000_000, TimeUnit.NANOSECONDS);
      }
    } finally {
      syncLock.unlock();
    }
  }

  private void flushLoop() {
    long periodNanos = config.fsyncInterval().toNanos();
    while (!log.closed) {
      try {
        TimeUnit.NANOSECONDS.sleep(periodNanos);
        Written active = written(null);
        if (!active.segment().failed) {
          syncSegment(active.segment(), active.end(), active.end(), active.records());
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        syncLog.warn("queue " + directory + ": fsync failed; the records it covered are refused", e);
      }
    }
  }

  /**
   * Stops the flusher and syncs what was written, once the queue is marked closed. The last sync covers
   * appends still waiting for the flusher: they succeed rather than being refused while their record is on
   * disk (and replayed at the next start).
   */
  void close() {
    Thread flusher = this.flusher;
    if (flusher != null) {
      flusher.interrupt();
      try {
        flusher.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.writeLock.lock();
    try {
      syncLock.lock();
      Segment active = log.active;
      try {
        if (config.fsync() != FsyncPolicy.NEVER && !active.failed && active.syncedEnd < active.end) {
          active.channel.force(false);
          markSynced(active, active.end, active.records);
        }
      } catch (IOException e) {
        active.failed = true;
        logger.warn("queue {}: final fsync failed", directory, e);
      } finally {
        finalSyncDone = true;
        synced.signalAll();
        syncLock.unlock();
      }
    } finally {
      log.writeLock.unlock();
    }
  }
}
