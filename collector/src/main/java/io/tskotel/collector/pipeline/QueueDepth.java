package io.tskotel.collector.pipeline;

/**
 * What a signal's queue holds that is not yet in the store.
 *
 * @param bytes request bytes appended and not committed
 * @param records requests appended and not committed
 * @param maxBytes the bound: at this many bytes clients are refused with a retryable answer
 */
public record QueueDepth(long bytes, long records, long maxBytes) {}
