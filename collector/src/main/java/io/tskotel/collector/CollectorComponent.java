package io.tskotel.collector;

/**
 * Something that runs inside a {@link Collector} besides the ingest path: the admin HTTP API, the
 * dashboard, the Prometheus endpoint, the alert evaluator. A component gets the running collector (store,
 * metrics, queue depths) when it is created, is started after the receivers, and is stopped before the
 * queues drain and the store closes, in reverse order of starting.
 */
public interface CollectorComponent {

  /** A short name for log lines, e.g. {@code "admin http"}. */
  String name();

  /** Starts serving. An exception stops the collector's start, which then shuts down what already runs. */
  void start() throws Exception;

  /** Stops serving and releases resources. Called once, also after a failed {@link #start()}. */
  void shutdown();

  /** Creates a component for a collector whose store, pipeline and receivers already run. */
  @FunctionalInterface
  interface Factory {
    CollectorComponent create(Collector collector) throws Exception;
  }
}
