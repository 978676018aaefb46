package io.tskotel.collector.receiver;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of OTLP requests the receivers hold at once, shared by the gRPC and HTTP listeners: a request
 * takes a {@link Permit} before its body is read and gives it back once it was answered. When the budget is
 * spent, a new request is refused at once (retryable) instead of being read into memory; so the memory of
 * requests in flight is bounded whatever the number of clients and connections.
 *
 * <p>A request whose size is not known before reading (gRPC, where the message length comes with the
 * message; HTTP with gzip or without {@code Content-Length}) takes the largest size a request may have, and
 * {@linkplain Permit#settle settles} to its real size once it was read. A request parsed into objects holds
 * several times its bytes: OTLP JSON asks for that from the start, and protobuf that the receiver cannot take
 * on the wire {@linkplain Permit#tryGrow grows} its permit before it is parsed, or is refused as any request
 * beyond the budget is. A permit is at most the whole budget, so any request can be read when alone.
 */
public final class RequestBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param limit the bytes all requests in flight may hold together; > 0
   */
  public RequestBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    this.limit = limit;
  }

  /** A permit for {@code bytes}, or null when they do not fit in what is left. Never blocks. */
  public @Nullable Permit tryAcquire(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
    }
    for (long u = used.get(); ; u = used.get()) {
      if (u + bytes > limit) {
        return null;
      }
      if (used.compareAndSet(u, u + bytes)) {
        return new Permit(bytes);
      }
    }
  }

  /** The bytes held by requests in flight now. */
  public long inUse() {
    return used.get();
  }

  public long limit() {
    return limit;
  }

  /** The bytes one request holds; {@link #close} gives them back (once, however often it is called). */
  public final class Permit implements AutoCloseable {
    private long held;
    private boolean closed;

    private Permit(long held) {
      this.held = held;
    }

    /** Gives back what this request holds beyond {@code bytes}, its real size now that it was read. */
    public synchronized void settle(long bytes) {
      if (bytes >= 0 && bytes < held) {
        used.addAndGet(bytes - held);
        held = bytes;
      }
    }

    /**
     * Grows this permit to {@code bytes}, or to the whole budget when that is less, if what is left allows;
     * true when it holds that much now. For what reading a request takes beyond its bytes: parsed into
     * objects, it holds several times its size. Capped at the budget so that any request can still be read
     * when it is alone in flight.
     */
    public synchronized boolean tryGrow(long bytes) {
      long target = Math.min(bytes, limit);
      long more = target - held;
      if (closed || more <= 0) {
        return !closed;
      }
      for (long u = used.get(); ; u = used.get()) {
        if (u + more > limit) {
          return false;
        }
        if (used.compareAndSet(u, u + more)) {
          held = target;
          return true;
        }
      }
    }

    public synchronized long held() {
      return held;
    }

    @Override
    public synchronized void close() {
      if (held > 0) {
        used.addAndGet(-held);
      }
      held = 0;
      closed = true;
    }
  }
}
