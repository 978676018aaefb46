package io.tskotel.collector.pipeline;

import java.time.Duration;

/** Waits between store retries; injected so tests advance time instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  Sleeper SYSTEM = d -> Thread.sleep(d);
}
