package io.tskotel.collector.queue;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.queue.internal.WalFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 *
 * <p>The parts: {@link QueueWriter} (append, roll-over, fsync), {@link QueueReader} (the consumer's
 * position), {@link SegmentLog} (the segments and positions both share); this class opens, commits and
 * closes.
 */
public final class DurableQueue implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(DurableQueue.class);

  private final QueueConfig config;
  private final Path directory;
  private final DirectoryLock lock;
  private final CommitFile commitFile;
  private final SegmentLog log;
  private final QueueWriter writer;
  private final QueueReader reader;
  private long committedSeq; // only the consumer touches it

  private DurableQueue(QueueConfig config, QueueListener listener) throws IOException {
    this.config = config;
    this.directory = config.directory();
    this.lock = DirectoryLock.acquire(directory);
    this.log = new SegmentLog(directory);
    this.writer = new QueueWriter(config, log);
    CommitFile commits = null;
    try {
      commits = CommitFile.open(directory, config.fsync() != FsyncPolicy.NEVER);
      this.commitFile = commits;
      this.reader = recover(listener);
    } catch (IOException | RuntimeException e) {
      if (commits != null) {
        commits.close();
      }
      closeFiles();
      throw e;
    }
    writer.start();
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

  private QueueReader recover(QueueListener listener) throws IOException {
    committedSeq = commitFile.committedSeq();
    Recovery.State state = new Recovery(directory, listener).scan(committedSeq);
    log.segments.addAll(state.segments());
    log.writtenLogical = state.logicalEnd();
    log.writtenOrdinal = state.ordinalEnd();
    log.syncedOrdinal.set(state.ordinalEnd());
    log.committedLogical.set(state.committedLogical());
    log.committedOrdinal.set(state.committedOrdinal());
    log.pendingBytes.set(state.logicalEnd() - state.committedLogical());
    // A lost unsynced tail (fsync never) may leave the commit ahead of the data: never reuse a committed seq.
    log.nextSeq = Math.max(state.lastSeq(), committedSeq) + 1;
    if (log.segments.isEmpty()) {
      writer.startSegment();
    } else {
      // The newest recovered segment stays active (sealed): the first append rolls over. Opening needs no
      // free space, so a collector restarted on a full disk can still drain its queue and free it.
      log.active = log.segments.getLast();
    }
    QueueReader recovered = new QueueReader(log, listener, committedSeq);
    deleteConsumedSegments(recovered.segment());
    if (state.ordinalEnd() > state.committedOrdinal()) {
      logger.info(
          "queue {}: replaying {} uncommitted records ({} bytes)", directory,
          state.ordinalEnd() - state.committedOrdinal(), state.logicalEnd() - state.committedLogical());
    }
    return recovered;
  }

  // ---------------------------------------------------------------- producers

  /**
   * Appends {@code payload}; returns once it is durable under the {@link FsyncPolicy}. Thread-safe; never
   * throws for I/O trouble (see {@link QueueAppend.Status}).
   */
  public QueueAppend append(byte[] payload) {
    return writer.append(payload);
  }

  // ---------------------------------------------------------------- consumer

  /**
   * Returns the next records after the last one returned (at least one, at most {@code maxRecords}, and
   * stopping once {@code maxBytes} of payload are reached), waiting up to {@code timeout} for one to arrive.
   * An empty list means none arrived. Only one thread may consume.
   */
  public List<QueueRecord> poll(int maxRecords, long maxBytes, Duration timeout)
      throws IOException, InterruptedException {
    return reader.poll(maxRecords, maxBytes, timeout);
  }

  /** Whether durable records were appended (or replayed) that {@link #poll} has not returned yet. */
  public boolean hasUnread() {
    log.writeLock.lock();
    try {
      return reader.hasUnreadLocked();
    } finally {
      log.writeLock.unlock();
    }
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
    long released = last.logicalEnd - log.committedLogical.getAndSet(last.logicalEnd);
    log.committedOrdinal.set(last.ordinal);
    log.pendingBytes.addAndGet(-released);
    log.writeLock.lock();
    try {
      QueueAppend refusal = log.refusal;
      if (deleteConsumedSegments(reader.segment())
          || refusal != null && refusal.status() == QueueAppend.Status.FULL) {
        log.refusal = null; // room again: let the probes say so before the next request arrives
      }
    } finally {
      log.writeLock.unlock();
    }
  }

  /**
   * Deletes sealed segments whose every byte is committed, but not the one being read; returns whether it
   * deleted any. Caller holds writeLock (or is opening).
   */
  private boolean deleteConsumedSegments(Segment reading) {
    long committed = log.committedLogical.get();
    boolean deleted = false;
    while (!log.segments.isEmpty()) {
      Segment first = log.segments.getFirst();
      if (first == log.active || first == reading || !first.sealed || first.logicalEnd() > committed) {
        return deleted;
      }
      log.segments.removeFirst();
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
    return log.pendingBytes.get();
  }

  /** Records appended and not yet committed. */
  public long pendingRecords() {
    log.writeLock.lock();
    try {
      return log.writtenOrdinal - log.committedOrdinal.get();
    } finally {
      log.writeLock.unlock();
    }
  }

  /**
   * Why the queue refuses appends now (status {@code FULL} or {@code FAILED}, with the I/O error), or null
   * while it takes data. Set by a refused append; cleared by the next successful one, or once a commit
   * frees room (so a probe sees the recovery before the next request arrives).
   */
  public @Nullable QueueAppend refusing() {
    return log.closed ? null : log.refusal;
  }

  /** Bytes of the live segment files on disk. */
  public long diskBytes() {
    log.writeLock.lock();
    try {
      long total = 0;
      for (Segment s : log.segments) {
        total += s.end;
      }
      return total;
    } finally {
      log.writeLock.unlock();
    }
  }

  /** Number of live segment files. */
  public int segmentCount() {
    log.writeLock.lock();
    try {
      return log.segments.size();
    } finally {
      log.writeLock.unlock();
    }
  }

  /** Syncs what was written, stops the flusher and releases the files. Safe to call twice. */
  @Override
  public void close() {
    log.writeLock.lock();
    try {
      if (log.closed) {
        return;
      }
      log.closed = true;
      log.dataAvailable.signalAll();
    } finally {
      log.writeLock.unlock();
    }
    writer.close();
    commitFile.close();
    closeFiles();
  }

  private void closeFiles() {
    log.writeLock.lock();
    try {
      for (Segment s : log.segments) {
        try {
          s.channel.close();
        } catch (IOException e) {
          logger.debug("close {}", s.path, e);
        }
      }
    } finally {
      log.writeLock.unlock();
    }
    lock.close();
  }

  @Override
  public String toString() {
    return "DurableQueue{" + directory + ", " + config.fsync() + "}";
  }
}
