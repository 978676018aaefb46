package io.tskotel.collector.queue;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.queue.internal.WalFormat;
import io.tskotel.collector.queue.internal.WalFormat.Scan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable FIFO of byte records on local disk: a write-ahead log in segment files (see {@link WalFormat}),
 * many concurrent producers, one consumer.
 *
 * <p>The consumer {@link #poll}s records, hands them on, then {@link #commit}s the last one it no longer
 * needs; the commit is durable and fully committed segments are deleted. On {@link #open} everything not
 * committed is read again, so a crash between handing on and committing repeats records (at-least-once),
 * never loses them. A torn or corrupt tail is truncated, a corrupt region inside a segment skipped, each with
 * a warning and a {@link QueueListener} call; opening never fails on damaged data.
 */
public final class DurableQueue implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(DurableQueue.class);
  private static final String SEGMENT_SUFFIX = ".seg";
  private static final String COMMIT_FILE = "committed";
  private static final String LOCK_FILE = "lock";

  private final QueueConfig config;
  private final QueueListener listener;
  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;

  // Producers and the consumer's wait for data share this lock; fsync runs outside of it.
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Condition dataAvailable = writeLock.newCondition();
  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition synced = syncLock.newCondition();

  /** Live segments, oldest first. Guarded by writeLock. */
  private final Deque<Segment> segments = new ArrayDeque<>();

  private Segment active; // guarded by writeLock
  private long nextSeq; // guarded by writeLock
  // "Logical" positions count segment data bytes from the oldest live data at open; they only grow.
  private long writtenLogical; // guarded by writeLock
  private long writtenOrdinal; // guarded by writeLock
  private volatile long syncedLogical;
  private @Nullable IOException syncFailure; // guarded by syncLock
  private final AtomicLong committedLogical = new AtomicLong();
  private final AtomicLong committedOrdinal = new AtomicLong();
  private final AtomicLong pendingBytes = new AtomicLong();

  // Consumer state: only the consumer thread touches these.
  private Segment readSegment;
  private long readOffset;
  private long lastReadSeq; // of any record read, including replayed committed ones
  private volatile long deliveredOrdinal;
  private long committedSeq;

  private volatile boolean closed;
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
    try {
      recover();
    } catch (IOException | RuntimeException e) {
      closeQuietly();
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

  // ---------------------------------------------------------------- recovery

  private void recover() throws IOException {
    committedSeq = readCommitFile();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SEGMENT_SUFFIX)) {
      stream.forEach(files::add);
    }
    files.sort(null); // names are zero-padded base sequence numbers
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
      segment.sealed = true;
      segments.addLast(segment);
      logical += offset - WalFormat.FILE_HEADER_BYTES;
      ordinal += records;
    }
    writtenLogical = logical;
    writtenOrdinal = ordinal;
    syncedLogical = logical;
    committedLogical.set(committedEnd);
    committedOrdinal.set(committedOrd);
    pendingBytes.set(logical - committedEnd);
    // A lost unsynced tail (fsync never) may leave the commit ahead of the data: never reuse a committed seq.
    nextSeq = Math.max(lastSeq, committedSeq) + 1;
    deliveredOrdinal = committedOrd;
    startSegment();
    readSegment = segments.peekFirst();
    readOffset = WalFormat.FILE_HEADER_BYTES;
    deleteConsumedSegments();
    if (ordinal > committedOrd) {
      logger.info(
          "queue {}: replaying {} uncommitted records ({} bytes)",
          directory, ordinal - committedOrd, logical - committedEnd);
    }
  }

  private void warnTruncated(Path file, long offset, long bytes, String why) {
    logger.warn(
        "queue {}: {} in {}: truncated {} bytes at offset {}", directory, why, file.getFileName(), bytes,
        offset);
    listener.tailTruncated(file, offset, bytes);
  }

  /** Creates the next active segment, starting at {@link #nextSeq}. Caller holds writeLock (or is recovery). */
  private void startSegment() throws IOException {
    Path file = directory.resolve(String.format("%020d%s", nextSeq, SEGMENT_SUFFIX));
    FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    WalFormat.writeFully(channel, WalFormat.fileHeader(), 0);
    if (config.fsync() != FsyncPolicy.NEVER) {
      channel.force(true);
      syncDirectory();
    }
    Segment segment = new Segment(file, channel, writtenLogical, false);
    segment.end = WalFormat.FILE_HEADER_BYTES;
    segments.addLast(segment);
    active = segment;
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
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
    long target;
    writeLock.lock();
    try {
      if (closed) {
        return QueueAppend.closed();
      }
      if (pendingBytes.get() + size > config.maxBytes()) {
        return QueueAppend.full();
      }
      if (active.end + size > config.segmentBytes()) {
        rollover();
      }
      seq = nextSeq;
      long start = active.end;
      try {
        WalFormat.writeFully(active.channel, WalFormat.encode(seq, payload), start);
      } catch (IOException e) {
        // Leave no half record behind for the reader; recovery would cut it anyway.
        try {
          active.channel.truncate(start);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        return QueueAppend.failed(e);
      }
      nextSeq++;
      active.end = start + size;
      writtenLogical += size;
      writtenOrdinal++;
      pendingBytes.addAndGet(size);
      target = writtenLogical;
      dataAvailable.signalAll();
    } catch (IOException e) {
      return QueueAppend.failed(e);
    } finally {
      writeLock.unlock();
    }
    try {
      switch (config.fsync()) {
        case ALWAYS -> syncTo(target);
        case INTERVAL -> awaitSynced(target);
        case NEVER -> {}
      }
    } catch (IOException e) {
      return QueueAppend.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return QueueAppend.failed(e);
    }
    return QueueAppend.appended(seq);
  }

  /** Seals the active segment (synced first) and starts a new one. Caller holds writeLock. */
  private void rollover() throws IOException {
    syncLock.lock();
    try {
      if (config.fsync() != FsyncPolicy.NEVER) {
        active.channel.force(false);
      }
      // Syncers compare against this under syncLock, so they never force a sealed (maybe closed) channel.
      syncedLogical = Math.max(syncedLogical, writtenLogical);
      active.sealed = true;
      synced.signalAll();
    } finally {
      syncLock.unlock();
    }
    startSegment();
  }

  /**
   * Makes everything up to {@code target} durable. Concurrent callers share one fdatasync: whoever syncs
   * covers everything written before it started.
   */
  private void syncTo(long target) throws IOException {
    if (syncedLogical >= target) {
      return;
    }
    Segment segment;
    long snapshot;
    writeLock.lock();
    try {
      segment = active;
      snapshot = writtenLogical;
    } finally {
      writeLock.unlock();
    }
    syncLock.lock();
    try {
      if (syncedLogical >= target) {
        return;
      }
      if (syncedLogical < snapshot) {
        segment.channel.force(false);
        syncedLogical = snapshot;
        synced.signalAll();
      }
    } finally {
      syncLock.unlock();
    }
  }

  private void awaitSynced(long target) throws IOException, InterruptedException {
    syncLock.lock();
    try {
      while (syncedLogical < target) {
        if (syncFailure != null) {
          throw new IOException("queue fsync failed", syncFailure);
        }
        if (closed) {
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
        long target;
        writeLock.lock();
        try {
          target = writtenLogical;
        } finally {
          writeLock.unlock();
        }
        syncTo(target);
        clearSyncFailure();
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        logger.error("queue {}: fsync failed; appends are refused until it succeeds", directory, e);
        syncLock.lock();
        try {
          syncFailure = e;
          synced.signalAll();
        } finally {
          syncLock.unlock();
        }
      }
    }
  }

  private void clearSyncFailure() {
    syncLock.lock();
    try {
      syncFailure = null;
    } finally {
      syncLock.unlock();
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

  /** Whether records were appended (or replayed) that {@link #poll} has not returned yet. */
  public boolean hasUnread() {
    writeLock.lock();
    try {
      return hasUnreadLocked();
    } finally {
      writeLock.unlock();
    }
  }

  private boolean hasUnreadLocked() {
    return deliveredOrdinal < writtenOrdinal;
  }

  private @Nullable QueueRecord readNext() throws IOException {
    while (true) {
      Segment segment = readSegment;
      long limit;
      boolean sealed;
      Segment next;
      writeLock.lock();
      try {
        limit = segment.end;
        sealed = segment.sealed;
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
            if (!segment.recovered()) {
              logger.warn("queue {}: skipped corrupt bytes at offset {} of {}", directory, readOffset,
                  segment.path.getFileName());
              listener.corruptRegionSkipped(segment.path, readOffset, scan.next() - readOffset);
            }
            readOffset = scan.next();
            continue;
          }
          if (!sealed || next == null) {
            throw new IOException("queue " + directory + ": unreadable record at offset " + readOffset
                + " of the active segment " + segment.path.getFileName());
          }
          logger.warn("queue {}: skipped unreadable tail of {}", directory, segment.path.getFileName());
          listener.tailTruncated(segment.path, readOffset, limit - readOffset);
          readSegment = next;
          readOffset = WalFormat.FILE_HEADER_BYTES;
        }
        case END -> {
          if (!sealed || next == null) {
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
   * after a restart, and segments holding only such records are deleted. Only the consumer calls this.
   */
  public void commit(QueueRecord last) throws IOException {
    requireNonNull(last, "last");
    if (last.seq() <= committedSeq) {
      return;
    }
    writeCommitFile(last.seq());
    committedSeq = last.seq();
    long released = last.logicalEnd - committedLogical.getAndSet(last.logicalEnd);
    committedOrdinal.set(last.ordinal);
    pendingBytes.addAndGet(-released);
    writeLock.lock();
    try {
      deleteConsumedSegments();
    } finally {
      writeLock.unlock();
    }
  }

  /** Deletes sealed segments whose every byte is committed. Caller holds writeLock (or is recovery). */
  private void deleteConsumedSegments() {
    long committed = committedLogical.get();
    while (!segments.isEmpty()) {
      Segment first = segments.peekFirst();
      if (first == active || first == readSegment || !first.sealed
          || first.logicalStart + first.end - WalFormat.FILE_HEADER_BYTES > committed) {
        return;
      }
      segments.removeFirst();
      try {
        first.channel.close();
        Files.deleteIfExists(first.path);
      } catch (IOException e) {
        logger.warn("queue {}: could not delete consumed segment {}", directory, first.path, e);
      }
    }
  }

  private long readCommitFile() throws IOException {
    Path file = directory.resolve(COMMIT_FILE);
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 12) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      long seq = buf.getLong(0);
      CRC32C crc = new CRC32C();
      crc.update(bytes, 0, 8);
      if ((int) crc.getValue() == buf.getInt(8)) {
        return seq;
      }
    }
    // Replaying everything duplicates records but loses none.
    logger.warn("queue {}: commit file is damaged; replaying every record on disk", directory);
    return 0;
  }

  private void writeCommitFile(long seq) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(12).putLong(0, seq);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, 8);
    buf.putInt(8, (int) crc.getValue());
    Path tmp = directory.resolve(COMMIT_FILE + ".tmp");
    boolean sync = config.fsync() != FsyncPolicy.NEVER;
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      WalFormat.writeFully(channel, buf, 0);
      if (sync) {
        channel.force(true);
      }
    }
    try {
      Files.move(tmp, directory.resolve(COMMIT_FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("queue directory " + directory + " does not support atomic rename", e);
    }
    if (sync) {
      syncDirectory();
    }
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
    try {
      if (config.fsync() != FsyncPolicy.NEVER) {
        active.channel.force(false);
      }
    } catch (IOException e) {
      logger.warn("queue {}: final fsync failed", directory, e);
    }
    syncLock.lock();
    try {
      synced.signalAll();
    } finally {
      syncLock.unlock();
    }
    closeQuietly();
  }

  private void closeQuietly() {
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

  /** One segment file. {@code end} and {@code sealed} are guarded by writeLock. */
  private static final class Segment {
    final Path path;
    final FileChannel channel;
    final long logicalStart;
    private final boolean recovered;
    long end;
    boolean sealed;

    Segment(Path path, FileChannel channel, long logicalStart, boolean recovered) {
      this.path = path;
      this.channel = channel;
      this.logicalStart = logicalStart;
      this.recovered = recovered;
    }

    boolean recovered() {
      return recovered;
    }
  }
}
