package io.tskotel.collector.pipeline;

/** A monotonic nanosecond clock for batch deadlines and latencies; injected so tests control time. */
@FunctionalInterface
public interface Ticker {
  long nanoTime();

  Ticker SYSTEM = System::nanoTime;
}
