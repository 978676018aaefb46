package io.tskotel.collector.receiver;

import io.tskotel.collector.pipeline.Signal;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the receivers did with the items (spans, metric data points, log records) they were sent, per
 * signal. Cheap to update from many threads; the pipeline exports it as the collector's own metrics.
 *
 * <ul>
 *   <li>accepted: admitted by the sink, i.e. durable and acknowledged;
 *   <li>refused: valid but refused by the sink (the client was told to retry);
 *   <li>rejected: invalid, dropped and reported in {@code partial_success} (the client must not retry);
 *   <li>failed requests: whole requests answered with an error (malformed, oversized, internal);
 *   <li>refused requests: whole requests refused retryably before their body was read (so their items
 *       were never counted), by {@link RefusalReason}.
 * </ul>
 */
public final class ReceiverMetrics {

  /** Why a request was refused before it was read. */
  public enum RefusalReason {
    /** The memory guard is over its soft limit. */
    MEMORY_LIMIT,
    /** The requests in flight hold the whole {@link RequestBudget}. */
    REQUEST_BYTES_IN_FLIGHT;

    /** The metric label: {@code memory_limit}, {@code request_bytes_in_flight}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Map<Signal, LongAdder> accepted = adders();
  private final Map<Signal, LongAdder> refused = adders();
  private final Map<Signal, LongAdder> rejected = adders();
  private final Map<Signal, LongAdder> failedRequests = adders();
  private final LongAdder unauthenticatedRequests = new LongAdder();
  private final Map<Signal, Map<RefusalReason, LongAdder>> refusedRequests = new EnumMap<>(Signal.class);

  public ReceiverMetrics() {
    for (Signal signal : Signal.values()) {
      Map<RefusalReason, LongAdder> byReason = new EnumMap<>(RefusalReason.class);
      for (RefusalReason reason : RefusalReason.values()) {
        byReason.put(reason, new LongAdder());
      }
      refusedRequests.put(signal, byReason);
    }
  }

  private static Map<Signal, LongAdder> adders() {
    Map<Signal, LongAdder> map = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      map.put(signal, new LongAdder());
    }
    return map;
  }

  public long accepted(Signal signal) {
    return accepted.get(signal).sum();
  }

  public long refused(Signal signal) {
    return refused.get(signal).sum();
  }

  public long rejected(Signal signal) {
    return rejected.get(signal).sum();
  }

  public long failedRequests(Signal signal) {
    return failedRequests.get(signal).sum();
  }

  public long refusedRequests(Signal signal, RefusalReason reason) {
    return refusedRequests.get(signal).get(reason).sum();
  }

  public void recordRefusedRequest(Signal signal, RefusalReason reason) {
    refusedRequests.get(signal).get(reason).increment();
  }

  public long unauthenticatedRequests() {
    return unauthenticatedRequests.sum();
  }

  public void recordAccepted(Signal signal, long items) {
    accepted.get(signal).add(items);
  }

  public void recordRefused(Signal signal, long items) {
    refused.get(signal).add(items);
  }

  public void recordRejected(Signal signal, long items) {
    rejected.get(signal).add(items);
  }

  public void recordFailedRequest(Signal signal) {
    failedRequests.get(signal).increment();
  }

  public void recordUnauthenticated() {
    unauthenticatedRequests.increment();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ReceiverMetrics[");
    for (Signal signal : Signal.values()) {
      sb.append(signal.name().toLowerCase(java.util.Locale.ROOT))
          .append("={accepted=")
          .append(accepted(signal))
          .append(", refused=")
          .append(refused(signal))
          .append(", rejected=")
          .append(rejected(signal))
          .append(", failedRequests=")
          .append(failedRequests(signal))
          .append("}, ");
    }
    return sb.append("unauthenticated=").append(unauthenticatedRequests()).append(']').toString();
  }
}
