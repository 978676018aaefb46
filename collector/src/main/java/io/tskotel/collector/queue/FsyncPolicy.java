package io.tskotel.collector.queue;

/**
 * When appended records reach stable storage, and so what a crash can cost. The queue acknowledges an
 * append only after the policy's guarantee holds.
 */
public enum FsyncPolicy {
  /**
   * fdatasync before every acknowledgement (concurrent appenders share one sync). Nothing acknowledged is
   * lost on process crash or power loss. The default.
   */
  ALWAYS,
  /**
   * Group commit: a flusher syncs every {@code fsyncInterval}; an append is acknowledged after the next
   * sync covering it. Same guarantee as {@link #ALWAYS}, fewer syncs under load, up to one interval of
   * added latency.
   */
  INTERVAL,
  /**
   * Never sync: acknowledged once written to the OS page cache. Survives a process crash ({@code kill -9}),
   * not a power loss or kernel crash.
   */
  NEVER
}
