package io.tskotel.collector.alert.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.ThrottledLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notices off the evaluation thread: each channel has its own sender thread, so a slow or failing
 * channel delays nobody else. A failed send that may succeed later is retried with doubling backoff (capped)
 * up to the configured number of attempts; each outcome is counted per channel.
 */
public final class Dispatcher {
  private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final AlertCounters counters;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final int attempts;
  private final ThrottledLog failures = new ThrottledLog(logger, Duration.ofMinutes(1));

  public Dispatcher(List<Channel> channels, AlertCounters counters, Duration backoff, Duration maxBackoff,
      int attempts) {
    this.counters = requireNonNull(counters, "counters");
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
    this.attempts = attempts;
    for (Channel c : channels) {
      workers.put(c.name(), new Worker(c));
    }
  }

  /** The channels that can send. */
  public List<String> channels() {
    return List.copyOf(workers.keySet());
  }

  /** Queues the notices on the channels each names; returns at once. */
  public void dispatch(List<Notice> notices) {
    Map<String, List<Notice>> byChannel = new LinkedHashMap<>();
    for (Notice n : notices) {
      for (String channel : n.channels()) {
        if (workers.containsKey(channel)) {
          byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(n);
        }
      }
    }
    byChannel.forEach((channel, batch) -> workers.get(channel).submit(List.copyOf(batch), 1));
  }

  /** Stops the senders, giving sends under way up to {@code grace} to finish. Safe to call twice. */
  public void shutdown(Duration grace) {
    workers.values().forEach(w -> w.executor.shutdown());
    for (Worker w : workers.values()) {
      try {
        if (!w.executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          w.executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.executor.shutdownNow();
      }
    }
  }

  private Duration delay(int attempt) {
    long ms = backoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }

  private final class Worker {
    final Channel channel;
    final ScheduledExecutorService executor;

    Worker(Channel channel) {
      this.channel = channel;
      ThreadFactory threads = r -> {
        Thread t = new Thread(r, "tskotel-alert-" + channel.name());
        t.setDaemon(true);
        return t;
      };
      this.executor = Executors.newSingleThreadScheduledExecutor(threads);
    }

    void submit(List<Notice> batch, int attempt) {
      try {
        if (attempt == 1) {
          executor.execute(() -> attempt(batch, attempt));
        } else {
          executor.schedule(() -> attempt(batch, attempt), delay(attempt - 1).toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (RejectedExecutionException e) {
        counters.notification(channel.name(), "dropped");
      }
    }

    void attempt(List<Notice> batch, int attempt) {
      try {
        channel.send(batch);
        counters.notification(channel.name(), "sent");
      } catch (SendException e) {
        if (e.retryable() && attempt < attempts) {
          counters.notification(channel.name(), "retried");
          submit(batch, attempt + 1);
        } else {
          counters.notification(channel.name(), "failed");
          failures.warn("alert notification failed after " + attempt + " attempt(s), dropped",
              new IllegalStateException(e.getMessage()));
        }
      } catch (RuntimeException e) {
        counters.notification(channel.name(), "failed");
        failures.warn(channel.name() + ": alert notification failed", new IllegalStateException(
            e.getClass().getSimpleName()));
      }
    }
  }
}
