package io.tskotel.collector.bench;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a run came to, from the sender's side and, when the collector's {@code /status} was followed, from the
 * store's side.
 *
 * @param seconds the sending phase, from the first request to the last answer
 * @param ackedItems items the collector acknowledged (less those its partial success rejected)
 * @param refusals refused requests by status
 * @param committedItems items the collector wrote to its store during the run and the drain after it; null
 *     when {@code /status} was not followed
 * @param committedSeconds from the first request until the store had written the last of them
 */
public record LoadReport(
    double seconds,
    long requests,
    long ackedRequests,
    long ackedItems,
    long rejectedItems,
    long refusedRequests,
    long retries,
    double p50Millis,
    double p99Millis,
    double maxMillis,
    Map<String, Long> refusals,
    @Nullable Long committedItems,
    double committedSeconds,
    boolean drained) {

  /** Acknowledged items per second of the sending phase. */
  public double ackedPerSecond() {
    return seconds > 0 ? ackedItems / seconds : 0;
  }

  /** Items written to the store per second, from the first request until the queue was drained. */
  public double committedPerSecond() {
    return committedItems != null && committedSeconds > 0 ? committedItems / committedSeconds : 0;
  }
}
