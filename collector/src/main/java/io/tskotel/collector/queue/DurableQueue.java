package io.tskotel.collector.queue;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.queue.internal.WalFormat;
import io.tskotel.collector.queue.internal.WalFormat.Scan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable FIFO of byte records on local disk: a write-ahead log in {@link Segment} files (see
 * {@link WalFormat}), many concurrent producers, one consumer.
 *
 * <p>The consumer {@link #poll}s records, hands them on, then {@link #commit}s the last one it no longer
 * needs; the commit is durable ({@link CommitFile}, written in place: it needs no free space) and fully
 * committed segments are deleted. On {@link #open} everything not committed is read again ({@link Recovery}),
 * so a crash between handing on and committing repeats records (at-least-once), never loses them.
 *
 * <p>A record reaches the consumer only after its fsync succeeded, so a record whose append was refused is
 * never stored. A failed fsync retires its segment at the last synced byte; a failed roll-over (disk full
 * while creating the next segment) leaves nothing behind and is tried again by the next append: the queue
 * recovers from a full disk on its own once commits free space.
 */
public final class DurableQueue implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(DurableQueue.class);
  private static final String LOCK_FILE = "lock";

  private final QueueConfig config;
  private final QueueListener listener;
  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final CommitFile commitFile;
  private final ThrottledLog syncLog = new ThrottledLog(logger, Duration.ofSeconds(10));

  // Producers and the consumer's wait for data share this lock; fsync runs outside of it. Order: writeLock
  // before syncLock.
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Condition dataAvailable = writeLock.newCondition();
  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition synced = syncLock.newCondition();

  /** Live segments, oldest first. Guarded by writeLock. */
  private final Deque<Segment> segments = new ArrayDeque<>();

  private Segment active; // guarded by writeLock
  private long nextSeq; // guarded by writeLock
  // "Logical" positions count segment data bytes from the oldest live data at open; ordinals count records.
  private long writtenLogical; // guarded by writeLock
  private long writtenOrdinal; // guarded by writeLock
  private final AtomicLong syncedOrdinal = new AtomicLong();
  private final AtomicLong committedLogical = new AtomicLong();
  private final AtomicLong committedOrdinal = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();
  /** The last refusal (FULL or FAILED) while no append succeeded and no space was freed since. */
  private volatile @Nullable QueueAppend refusal;

  // Consumer state: only the consumer thread touches these.
  private Segment readSegment;
  private long readOffset;
  private long lastReadSeq; // of any record read, including replayed committed ones
  private long deliveredOrdinal;
  private long committedSeq;

  private volatile boolean closed;
  /** Set once close() made its last fsync: waiters still below their target then fail. */
  private volatile boolean finalSyncDone;
  private final @Nullable Thread flusher;

  private DurableQueue(QueueConfig config, QueueListener listener) throws IOException {
    this.config = config;
    this.listener = listener;
    this.directory = config.directory();
    Files.createDirectories(directory);
    this.lockChannel =
        FileChannel.open(
            directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      lockChannel.close();
      throw new IOException("queue directory " + directory + " is in use by another queue or process");
    }
    this.lock = acquired;
    CommitFile commits = null;
    try {
      commits = CommitFile.open(directory, config.fsync() != FsyncPolicy.NEVER);
      this.commitFile = commits;
      recover();
    } catch (IOException | RuntimeException e) {
      if (commits != null) {
        commits.close();
      }
      closeFiles();
      throw e;
    }
    if (config.fsync() == FsyncPolicy.INTERVAL) {
      flusher = Thread.ofPlatform().daemon().name("tskotel-queue-fsync-" + directory.getFileName())
          .start(this::flushLoop);
    } else {
      flusher = null;
    }
  }

  /**
   * Opens (creating if needed) the queue in {@code config.directory()}, replaying what was not committed.
   *
   * @throws IllegalArgumentException if the configuration is invalid
   * @throws IOException if the directory cannot be used (not on damaged records: those are repaired)
   */
  public static DurableQueue open(QueueConfig config, QueueListener listener) throws IOException {
    requireNonNull(config, "config");
    requireNonNull(listener, "listener");
    List<String> errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid queue config: " + String.join("; ", errors));
    }
    return new DurableQueue(config, listener);
  }

  public QueueConfig config() {
    return config;
  }

  private void recover() throws IOException {
    committedSeq = commitFile.committedSeq();
    Recovery.State state = new Recovery(directory, listener).scan(committedSeq);
    segments.addAll(state.segments());
    writtenLogical = state.logicalEnd();
    writtenOrdinal = state.ordinalEnd();
    syncedOrdinal.set(state.ordinalEnd());
    committedLogical.set(state.committedLogical());
    committedOrdinal.set(state.committedOrdinal());
    pendingBytes.set(state.logicalEnd() - state.committedLogical());
    // A lost unsynced tail (fsync never) may leave the commit ahead of the data: never reuse a committed seq.
    nextSeq = Math.max(state.lastSeq(), committedSeq) + 1;
    deliveredOrdinal = state.committedOrdinal();
    if (segments.isEmpty()) {
      startSegment();
    } else {
      // The newest recovered segment stays active (sealed): the first append rolls over. Opening needs no
      // free space, so a collector restarted on a full disk can still drain its queue and free it.
      active = segments.peekLast();
    }
    readSegment = segments.peekFirst();
    readOffset = WalFormat.FILE_HEADER_BYTES;
    deleteConsumedSegments();
    if (state.ordinalEnd() > state.committedOrdinal()) {
      logger.info(
          "queue {}: replaying {} uncommitted records ({} bytes)", directory,
          state.ordinalEnd() - state.committedOrdinal(), state.logicalEnd() - state.committedLogical());
    }
  }

  /** Creates the next active segment, starting at {@link #nextSeq}. Caller holds writeLock (or is opening). */
  private void startSegment() throws IOException {
    Segment segment = Segment.create(directory, nextSeq, writtenLogical, config.fsync() != FsyncPolicy.NEVER);
    segments.addLast(segment);
    active = segment;
  }

  // ---------------------------------------------------------------- producers

  /**
   * Appends {@code payload}; returns once it is durable under the {@link FsyncPolicy}. Thread-safe; never
   * throws for I/O trouble (see {@link QueueAppend.Status}).
   */
  public QueueAppend append(byte[] payload) {
    requireNonNull(payload, "payload");
    long size = WalFormat.RECORD_HEADER_BYTES + (long) payload.length;
    if (size > config.segmentBytes() - WalFormat.FILE_HEADER_BYTES) {
      return QueueAppend.tooLarge();
    }
    long seq;
    Segment segment;
    long recordEnd;
    writeLock.lock();
    try {
      if (closed) {
        return QueueAppend.closed();
      }
      if (active.failed) {
        retire(active);
      }
      if (pendingBytes.get() + size > config.maxBytes()) {
        return refused(QueueAppend.full());
      }
      if (active.sealed || active.end + size > config.segmentBytes()) {
        rollover();
      }
      seq = nextSeq;
      segment = active;
      long start = segment.end;
      try {
        WalFormat.writeFully(segment.channel, WalFormat.encode(seq, payload), start);
      } catch (IOException e) {
        // Leave no half record behind for the reader; recovery would cut it anyway.
        try {
          segment.channel.truncate(start);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        return refused(QueueAppend.failed(e));
      }
      nextSeq++;
      recordEnd = start + size;
      segment.end = recordEnd;
      segment.records++;
      writtenLogical += size;
      writtenOrdinal++;
      pendingBytes.addAndGet(size);
      if (config.fsync() == FsyncPolicy.NEVER) {
        markSynced(segment, recordEnd, segment.records);
        dataAvailable.signalAll();
      }
    } catch (IOException e) {
      return refused(QueueAppend.failed(e));
    } finally {
      writeLock.unlock();
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
    refusal = null;
    return QueueAppend.appended(seq);
  }

  private QueueAppend refused(QueueAppend outcome) {
    refusal = outcome;
    return outcome;
  }

  /**
   * Seals the active segment (synced first) and starts a new one. Caller holds writeLock. When creating the
   * new segment fails, the old one stays active but sealed, and the next append tries again.
   */
  private void rollover() throws IOException {
    Segment old = active;
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
      dataAvailable.signalAll();
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
      writtenLogical -= bytes;
      writtenOrdinal -= segment.records - segment.syncedRecords;
      pendingBytes.addAndGet(-bytes);
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
    syncedOrdinal.addAndGet(records - segment.syncedRecords);
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
    long end;
    long records;
    writeLock.lock();
    try {
      end = segment.end;
      records = segment.records;
    } finally {
      writeLock.unlock();
    }
    syncSegment(segment, target, end, records);
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
    writeLock.lock();
    try {
      dataAvailable.signalAll();
    } finally {
      writeLock.unlock();
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
    while (!closed) {
      try {
        TimeUnit.NANOSECONDS.sleep(periodNanos);
        Segment segment;
        long end;
        long records;
        writeLock.lock();
        try {
          segment = active;
          end = segment.end;
          records = segment.records;
        } finally {
          writeLock.unlock();
        }
        if (!segment.failed) {
          syncSegment(segment, end, end, records);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        syncLog.warn("queue " + directory + ": fsync failed; the records it covered are refused", e);
      }
    }
  }

  // ---------------------------------------------------------------- consumer

  /**
   * Returns the next records after the last one returned (at least one, at most {@code maxRecords}, and
   * stopping once {@code maxBytes} of payload are reached), waiting up to {@code timeout} for one to arrive.
   * An empty list means none arrived. Only one thread may consume.
   */
  public List<QueueRecord> poll(int maxRecords, long maxBytes, Duration timeout)
      throws IOException, InterruptedException {
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
      if (!out.isEmpty() || closed) {
        break;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      writeLock.lock();
      try {
        if (!hasUnreadLocked() && !closed) {
          dataAvailable.awaitNanos(remaining);
        }
      } finally {
        writeLock.unlock();
      }
    }
    return out;
  }

  /** Whether durable records were appended (or replayed) that {@link #poll} has not returned yet. */
  public boolean hasUnread() {
    writeLock.lock();
    try {
      return hasUnreadLocked();
    } finally {
      writeLock.unlock();
    }
  }

  private boolean hasUnreadLocked() {
    return deliveredOrdinal < syncedOrdinal.get();
  }

  private @Nullable QueueRecord readNext() throws IOException {
    while (true) {
      Segment segment = readSegment;
      long limit;
      boolean done;
      Segment next;
      writeLock.lock();
      try {
        limit = segment.syncedEnd; // never past the last successful fsync
        done = segment.sealed || segment.failed;
        next = nextSegment(segment);
      } finally {
        writeLock.unlock();
      }
      Scan scan = WalFormat.read(segment.channel, readOffset, limit, lastReadSeq);
      switch (scan.kind()) {
        case RECORD -> {
          readOffset = scan.next();
          lastReadSeq = scan.seq();
          if (scan.seq() <= committedSeq) {
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
              logger.warn("queue {}: skipped corrupt bytes at offset {} of {}", directory, readOffset,
                  segment.path.getFileName());
              listener.corruptRegionSkipped(segment.path, readOffset, scan.next() - readOffset);
            }
            readOffset = scan.next();
            continue;
          }
          if (!done || next == null) {
            throw new IOException("queue " + directory + ": unreadable record at offset " + readOffset
                + " of the active segment " + segment.path.getFileName());
          }
          logger.warn("queue {}: skipped unreadable tail of {}", directory, segment.path.getFileName());
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

  private @Nullable Segment nextSegment(Segment segment) {
    boolean found = false;
    for (Segment s : segments) {
      if (found) {
        return s;
      }
      found = s == segment;
    }
    return null;
  }

  /**
   * Durably records that {@code last} and every record before it are done with; they are not replayed
   * after a restart, and segments holding only such records are deleted. Needs no free space. Only the
   * consumer calls this.
   */
  public void commit(QueueRecord last) throws IOException {
    requireNonNull(last, "last");
    if (last.seq() <= committedSeq) {
      return;
    }
    commitFile.write(last.seq());
    committedSeq = last.seq();
    long released = last.logicalEnd - committedLogical.getAndSet(last.logicalEnd);
    committedOrdinal.set(last.ordinal);
    pendingBytes.addAndGet(-released);
    writeLock.lock();
    try {
      if (deleteConsumedSegments() || refusal != null && refusal.status() == QueueAppend.Status.FULL) {
        refusal = null; // room again: let the probes say so before the next request arrives
      }
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Deletes sealed segments whose every byte is committed; returns whether it deleted any. Caller holds
   * writeLock (or is opening).
   */
  private boolean deleteConsumedSegments() {
    long committed = committedLogical.get();
    boolean deleted = false;
    while (!segments.isEmpty()) {
      Segment first = segments.peekFirst();
      if (first == active || first == readSegment || !first.sealed || first.logicalEnd() > committed) {
        return deleted;
      }
      segments.removeFirst();
      try {
        first.delete();
        deleted = true;
      } catch (IOException e) {
        logger.warn("queue {}: could not delete consumed segment {}", directory, first.path, e);
      }
    }
    return deleted;
  }

  // ---------------------------------------------------------------- state

  /** Bytes appended and not yet committed (record headers included); bounded by {@code maxBytes}. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  /** Records appended and not yet committed. */
  public long pendingRecords() {
    writeLock.lock();
    try {
      return writtenOrdinal - committedOrdinal.get();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Why the queue refuses appends now (status {@code FULL} or {@code FAILED}, with the I/O error), or null
   * while it takes data. Set by a refused append; cleared by the next successful one, or once a commit
   * frees room (so a probe sees the recovery before the next request arrives).
   */
  public @Nullable QueueAppend refusing() {
    return closed ? null : refusal;
  }

  /** Bytes of the live segment files on disk. */
  public long diskBytes() {
    writeLock.lock();
    try {
      long total = 0;
      for (Segment s : segments) {
        total += s.end;
      }
      return total;
    } finally {
      writeLock.unlock();
    }
  }

  /** Number of live segment files. */
  public int segmentCount() {
    writeLock.lock();
    try {
      return segments.size();
    } finally {
      writeLock.unlock();
    }
  }

  /** Syncs what was written, stops the flusher and releases the files. Safe to call twice. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      dataAvailable.signalAll();
    } finally {
      writeLock.unlock();
    }
    if (flusher != null) {
      flusher.interrupt();
      try {
        flusher.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The last sync covers appends still waiting for the flusher: they succeed rather than being refused
    // while their record is on disk (and replayed at the next start).
    writeLock.lock();
    try {
      syncLock.lock();
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
      writeLock.unlock();
    }
    commitFile.close();
    closeFiles();
  }

  private void closeFiles() {
    writeLock.lock();
    try {
      for (Segment s : segments) {
        try {
          s.channel.close();
        } catch (IOException e) {
          logger.debug("close {}", s.path, e);
        }
      }
    } finally {
      writeLock.unlock();
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "DurableQueue{" + directory + ", " + config.fsync() + "}";
  }
}
