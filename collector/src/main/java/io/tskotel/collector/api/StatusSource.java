package io.tskotel.collector.api;

/**
 * Contributes one entry to {@code /status}, e.g. the pipeline's queue depth and ingest rates. The returned
 * value is serialized as JSON (a record, a map, a number). Must be cheap and must not throw.
 */
@FunctionalInterface
public interface StatusSource {
  Object snapshot();
}
