package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tskotel.collector.pipeline.internal.DeadLetterFile;
import io.tskotel.collector.pipeline.internal.SignalWriter;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.queue.DurableQueue;
import io.tskotel.collector.queue.QueueRecord;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one signal from its {@link DurableQueue} to the store: reads queued requests, groups them into
 * batches (flushed at {@link BatcherConfig#maxItems()} items or {@link BatcherConfig#maxDelay()} after the
 * first request), writes each batch, and only then commits the queue. A store that cannot take writes
 * (passing trouble, or {@link StoreException.Fault#STORE}: a missing table, failed authentication, a
 * read-only or full server...) is retried forever with exponential backoff and jitter, the data staying
 * queued (the queue absorbs the backlog, the receivers refuse once it is full); only a batch whose data the
 * store refuses ({@link StoreException.Fault#DATA}) is retried request by request, and the requests still
 * refused go to the dead-letter file. A crash before the commit writes the batch again on restart
 * (at-least-once).
 *
 * <p>With {@link BatcherConfig#writers()} above 1, up to that many batches are written at once by writer
 * threads (one engine connection each), while this thread decodes the next; the queue is committed in
 * order, only up to the last batch whose predecessors are all written, so a crash replays at most
 * {@code writers} batches.
 *
 * <p>The thread never ends before shutdown: an unexpected exception is logged (throttled) and counted, the
 * open batch is kept, and the batcher starts again after a backoff. {@link #status()} says whether the
 * signal drains, and if not, why.
 */
public final class Batcher {
  private static final Logger logger = LoggerFactory.getLogger(Batcher.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final int MAX_POLL_RECORDS = 1024;
  /** How long the batcher waits for new requests while written batches may wait for their commit. */
  private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(10);

  private final Signal signal;
  private final DurableQueue queue;
  private final TelemetryStore store;
  private final BatcherConfig config;
  private final CollectorMetrics metrics;
  private final DeadLetterFile deadLetters;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  @SuppressWarnings("unchecked")
  private final SignalWriter<Object> codec;
  private final Semaphore writeSlots;
  private final ThrottledLog storeLog;
  private final ThrottledLog queueLog;
  private final ThrottledLog failureLog;
  private final Clock clock;
  private volatile DrainStatus status = DrainStatus.ok();

  // The open batch; touched only by the batcher thread (or a test driving step()).
  private final List<QueueRecord> records = new ArrayList<>();
  private final ArrayDeque<QueueRecord> polled = new ArrayDeque<>(); // polled, not yet in the batch
  private final List<List<Object>> resources = new ArrayList<>();
  private final List<Integer> itemsPerRecord = new ArrayList<>();
  private int items;
  private long bytes;
  private long batchStartNanos;
  private @Nullable QueueRecord lastHandled;
  private long committedSeq = -1;
  /** Batches handed to the writers, oldest first; only this thread touches the deque. */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  private final @Nullable ExecutorService writerPool;

  private volatile boolean stopping;
  private volatile boolean abandon;
  private @Nullable Thread thread;

  @SuppressWarnings("unchecked")
  private Batcher(Builder b) {
    this.signal = b.signal;
    this.queue = b.queue;
    this.store = b.store;
    this.config = b.config;
    this.metrics = b.metrics;
    this.deadLetters = b.deadLetters;
    this.ticker = b.ticker;
    this.sleeper = b.sleeper;
    this.random = b.random;
    this.codec = (SignalWriter<Object>) SignalWriter.of(signal);
    this.writeSlots = b.writeSlots != null ? b.writeSlots : new Semaphore(Integer.MAX_VALUE);
    this.storeLog = new ThrottledLog(logger, Duration.ofSeconds(10));
    this.queueLog = new ThrottledLog(logger, Duration.ofSeconds(10));
    this.failureLog = new ThrottledLog(logger, Duration.ofSeconds(10));
    this.clock = b.clock;
    if (config.writers() > 1) {
      AtomicInteger n = new AtomicInteger();
      this.writerPool = Executors.newFixedThreadPool(config.writers(), r -> Thread.ofPlatform()
          .name("tskotel-writer-" + CollectorMetrics.signalName(signal) + "-" + n.incrementAndGet())
          .daemon(true).unstarted(r));
    } else {
      this.writerPool = null;
    }
  }

  public static Builder builder(
      Signal signal, DurableQueue queue, TelemetryStore store, DeadLetterFile deadLetters) {
    return new Builder(signal, queue, store, deadLetters);
  }

  public Signal signal() {
    return signal;
  }

  /** Whether this signal's queued data reaches the store now, and if not, why. */
  public DrainStatus status() {
    return status;
  }

  private void blocked(String reason, Throwable error) {
    status = DrainStatus.blocked(status, reason, String.valueOf(error.getMessage()), clock.instant());
  }

  /** Starts the batcher thread. Safe to call twice. */
  public synchronized void start() {
    if (thread == null) {
      thread = Thread.ofPlatform().name("tskotel-batcher-" + CollectorMetrics.signalName(signal))
          .start(this::run);
    }
  }

  /** Lets the batcher write what is queued and stop, without waiting; see {@link #shutdown}. */
  public void requestStop() {
    stopping = true;
  }

  /**
   * Stops after writing everything queued (call once producers stopped), giving up after
   * {@code drainTimeout}: what is not written by then stays in the queue for the next start. Returns
   * whether the queue was drained. Safe to call twice.
   */
  public boolean shutdown(Duration drainTimeout) {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    stopping = true;
    if (t == null) {
      return !queue.hasUnread();
    }
    try {
      t.join(drainTimeout);
      if (t.isAlive()) {
        abandon = true;
        t.interrupt();
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !abandon && !queue.hasUnread();
  }

  private void run() {
    try {
      loop();
    } finally {
      if (writerPool != null) {
        // Writers still retrying after an abandoned drain stop here; their batches stay queued.
        writerPool.shutdownNow();
        try {
          writerPool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void loop() {
    int failures = 0;
    while (true) {
      try {
        if (stopping && polled.isEmpty() && !queue.hasUnread()) {
          resubmitFailed();
          flush();
          awaitInFlight(0);
          return;
        }
        step();
        failures = 0;
        if (!status.draining() && records.isEmpty() && polled.isEmpty() && inFlight.isEmpty()) {
          status = DrainStatus.ok(); // recovered from a failure outside a store write: nothing is held up
        }
      } catch (InterruptedException | AbandonedException e) {
        logger.warn("{} batcher stopped before draining: {} queued requests stay for the next start",
            CollectorMetrics.signalName(signal), queue.pendingRecords());
        return;
      } catch (RuntimeException | Error e) {
        // A bug must not silently stop a signal: keep the open batch (nothing is committed past it), say so
        // on the probes, and start again.
        metrics.batcherFailure(signal);
        blocked("batcher failed", e);
        failureLog.warnWithStackTrace(CollectorMetrics.signalName(signal)
            + " batcher failed; it keeps its batch and starts again after a backoff", e);
        try {
          if (abandon) {
            return;
          }
          sleeper.sleep(backoff(failures++));
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /**
   * One round: waits for queued requests (up to the open batch's deadline), adds them, and flushes when the
   * batch is full or due. The batcher thread loops on this; tests call it directly.
   */
  void step() throws InterruptedException {
    resubmitFailed();
    awaitInFlight(config.writers());
    Duration wait;
    if (stopping) {
      wait = Duration.ZERO;
    } else if (records.isEmpty()) {
      wait = IDLE_POLL;
    } else {
      wait = Duration.ofNanos(Math.max(0, batchStartNanos + config.maxDelay().toNanos() - ticker.nanoTime()));
    }
    if (!inFlight.isEmpty() && wait.compareTo(IN_FLIGHT_POLL) > 0) {
      wait = IN_FLIGHT_POLL; // come back soon to commit what the writers finish
    }
    try {
      if (polled.isEmpty()) {
        polled.addAll(queue.poll(MAX_POLL_RECORDS, Math.max(1, config.maxBytes() - bytes), wait));
      }
    } catch (IOException e) {
      blocked("queue read failed", e);
      queueLog.warn("reading the " + CollectorMetrics.signalName(signal) + " queue failed", e);
      sleeper.sleep(config.maxBackoff());
      return;
    }
    // Taken off the list before adding: a failing flush inside add() keeps the record in the open batch and
    // the rest here, so nothing polled is skipped when the batcher starts again.
    QueueRecord record;
    while ((record = polled.pollFirst()) != null) {
      add(record);
    }
    if (!records.isEmpty()
        && ticker.nanoTime() - batchStartNanos >= config.maxDelay().toNanos()) {
      flush();
    } else if (records.isEmpty() && inFlight.isEmpty() && lastHandled != null
        && lastHandled.seq() > committedSeq) {
      commit(lastHandled); // only undecodable requests arrived: they are dead-lettered, release them
    }
  }

  private void add(QueueRecord record) throws InterruptedException {
    SignalWriter.Decoded<Object> decoded;
    try {
      decoded = codec.decode(record.payload());
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      deadLetter(record, 0, "undecodable request: " + e.getMessage());
      metrics.dropped(signal, "undecodable", 1);
      lastHandled = record;
      return;
    }
    if (records.isEmpty()) {
      batchStartNanos = ticker.nanoTime();
    }
    records.add(record);
    resources.add(decoded.resources());
    itemsPerRecord.add(decoded.items());
    items += decoded.items();
    bytes += record.payload().length;
    lastHandled = record;
    if (items >= config.maxItems() || bytes >= config.maxBytes()) {
      flush();
    }
  }

  /**
   * Writes the open batch (if any), then commits everything handled so far; with several writers, hands the
   * batch to one and commits what is written in order.
   */
  void flush() throws InterruptedException {
    if (records.isEmpty()) {
      if (inFlight.isEmpty() && lastHandled != null && lastHandled.seq() > committedSeq) {
        commit(lastHandled);
      }
      return;
    }
    if (writerPool != null) {
      // Before the open batch is taken: a writer's failure thrown here leaves it open, nothing skipped.
      awaitInFlight(config.writers() - 1);
    }
    Batch batch = new Batch(List.copyOf(records), List.copyOf(resources), List.copyOf(itemsPerRecord), items,
        requireNonNull(lastHandled));
    records.clear();
    resources.clear();
    itemsPerRecord.clear();
    items = 0;
    bytes = 0;
    if (writerPool == null) {
      inFlight.add(new InFlight(batch));
      try {
        write(batch);
      } catch (RuntimeException | Error e) {
        inFlight.peekFirst().failure = e;
        throw e;
      }
      inFlight.pollFirst();
      commit(batch.last());
      return;
    }
    InFlight f = new InFlight(batch);
    f.future = writerPool.submit(() -> {
      write(batch);
      return null;
    });
    inFlight.addLast(f);
  }

  /** One batch's requests, decoded, and the last queue record it covers (dead-lettered ones included). */
  private record Batch(
      List<QueueRecord> records, List<List<Object>> resources, List<Integer> itemsPerRecord, int items,
      QueueRecord last) {}

  /** A batch being written; {@code failure} holds a bug that stopped it, to write it again. */
  private static final class InFlight {
    final Batch batch;
    @Nullable Future<?> future;
    @Nullable Throwable failure;

    InFlight(Batch batch) {
      this.batch = batch;
    }
  }

  /** Writes a batch, falling back to request by request when the store refuses its data. */
  private void write(Batch batch) throws InterruptedException {
    long start = ticker.nanoTime();
    try {
      List<Object> all = new ArrayList<>();
      batch.resources().forEach(all::addAll);
      writeWithRetry(all);
      metrics.written(signal, batch.items());
      metrics.batch(signal, batch.items(), ticker.nanoTime() - start);
    } catch (StoreException e) {
      storeLog.warn(CollectorMetrics.signalName(signal)
          + " batch refused permanently; retrying its requests one by one", e);
      isolate(batch);
    }
  }

  /** Writes again, on a writer, batches a bug stopped (the batcher's backoff already ran). */
  private void resubmitFailed() throws InterruptedException {
    for (InFlight f : inFlight) {
      if (f.failure == null) {
        continue;
      }
      f.failure = null;
      if (writerPool == null) {
        try {
          write(f.batch);
        } catch (RuntimeException | Error e) {
          f.failure = e;
          throw e;
        }
      } else {
        Batch batch = f.batch;
        f.future = writerPool.submit(() -> {
          write(batch);
          return null;
        });
      }
    }
    if (writerPool == null && !inFlight.isEmpty()) {
      commit(inFlight.pollFirst().batch.last());
    }
  }

  /**
   * Commits the written batches at the head of the line, waiting for the oldest ones until at most
   * {@code max} remain in flight. A bug in a writer is rethrown here, its batch kept to be written again.
   */
  private void awaitInFlight(int max) throws InterruptedException {
    InFlight head;
    while ((head = inFlight.peekFirst()) != null) {
      if (head.failure != null) {
        throw rethrow(head.failure);
      }
      Future<?> future = requireNonNull(head.future);
      if (!future.isDone() && inFlight.size() <= max) {
        return;
      }
      try {
        future.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InterruptedException ie) {
          throw ie;
        }
        head.failure = cause;
        throw rethrow(cause);
      }
      inFlight.pollFirst();
      commit(head.batch.last());
    }
    if (lastHandled != null && records.isEmpty() && lastHandled.seq() > committedSeq && max == 0) {
      commit(lastHandled);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("writer failed", t);
  }

  /** After a permanent failure: writes request by request, dead-lettering only those still refused. */
  private void isolate(Batch batch) throws InterruptedException {
    for (int i = 0; i < batch.records().size(); i++) {
      int n = batch.itemsPerRecord().get(i);
      try {
        writeWithRetry(batch.resources().get(i));
        metrics.written(signal, n);
      } catch (StoreException e) {
        deadLetter(batch.records().get(i), n, e.getMessage());
        metrics.dropped(signal, "permanent_store_error", n);
      }
    }
  }

  private void writeWithRetry(List<Object> batch) throws StoreException, InterruptedException {
    for (int attempt = 0; ; attempt++) {
      StoreException failure;
      writeSlots.acquire();
      try {
        codec.write(store, batch);
        status = DrainStatus.ok();
        return;
      } catch (StoreException e) {
        failure = e;
      } catch (RuntimeException e) {
        // A bug or bad data in the encoders: retrying the same bytes would fail the same way.
        failure = StoreException.permanent("store write failed: " + e, e);
      } finally {
        writeSlots.release();
      }
      metrics.storeError(signal, failure.retryable());
      if (failure.fault() == StoreException.Fault.DATA) {
        throw failure;
      }
      // The store's trouble, not the data's: keep it queued, say so, retry until the store is fixed.
      blocked("store: " + failure.reason(), failure);
      storeLog.warn(CollectorMetrics.signalName(signal) + " store write failed (" + failure.reason()
          + "), data stays queued; retrying", failure);
      if (abandon) {
        throw new AbandonedException();
      }
      sleeper.sleep(backoff(attempt));
    }
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out. */
  Duration backoff(int attempt) {
    long initial = config.initialBackoff().toNanos();
    long cap = config.maxBackoff().toNanos();
    long step = cap;
    if (attempt < 62) {
      long shifted = initial << attempt;
      if (shifted > 0 && shifted >> attempt == initial) {
        step = Math.min(cap, shifted);
      }
    }
    long half = step / 2;
    synchronized (random) { // writer threads back off concurrently; the generator is not thread-safe
      return Duration.ofNanos(half + random.nextLong(half + 1));
    }
  }

  private void deadLetter(QueueRecord record, int n, String reason) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        deadLetters.write(record.seq(), record.payload(), n, reason);
        return;
      } catch (IOException e) {
        // Committing past a record that is neither stored nor dead-lettered would lose it: wait instead.
        blocked("dead-letter write failed", e);
        storeLog.warn("writing the dead-letter file " + deadLetters.path() + " failed, retrying", e);
        if (abandon) {
          throw new AbandonedException();
        }
        sleeper.sleep(backoff(attempt));
      }
    }
  }

  private void commit(QueueRecord last) {
    if (last.seq() <= committedSeq) {
      return;
    }
    try {
      queue.commit(last);
      committedSeq = last.seq();
    } catch (IOException e) {
      // The data is in the store; a lost commit only means it is written again after a restart.
      queueLog.warn("committing the " + CollectorMetrics.signalName(signal) + " queue failed", e);
    }
  }

  /** Raised inside the batcher thread when shutdown's drain timeout ran out during retries. */
  private static final class AbandonedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AbandonedException() {
      super(null, null, false, false);
    }
  }

  public static final class Builder {
    private final Signal signal;
    private final DurableQueue queue;
    private final TelemetryStore store;
    private final DeadLetterFile deadLetters;
    private BatcherConfig config = BatcherConfig.defaults();
    private CollectorMetrics metrics = new CollectorMetrics();
    private Ticker ticker = Ticker.SYSTEM;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private RandomGenerator random = RandomGenerator.getDefault();
    private Clock clock = Clock.systemUTC();
    private @Nullable Semaphore writeSlots;

    private Builder(Signal signal, DurableQueue queue, TelemetryStore store, DeadLetterFile deadLetters) {
      this.signal = requireNonNull(signal, "signal");
      this.queue = requireNonNull(queue, "queue");
      this.store = requireNonNull(store, "store");
      this.deadLetters = requireNonNull(deadLetters, "deadLetters");
    }

    public Builder config(BatcherConfig config) {
      List<String> errors = requireNonNull(config, "config").validate();
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid batcher config: " + String.join("; ", errors));
      }
      this.config = config;
      return this;
    }

    public Builder metrics(CollectorMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * Permits for store writes shared with the other signals' batchers: each batch write holds one (its
     * retries' backoff does not). Default: unlimited.
     */
    public Builder writeSlots(Semaphore writeSlots) {
      this.writeSlots = requireNonNull(writeSlots, "writeSlots");
      return this;
    }

    /** The clock of {@link DrainStatus#since()}. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Batcher build() {
      return new Batcher(this);
    }
  }
}
