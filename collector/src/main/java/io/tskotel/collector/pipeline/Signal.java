package io.tskotel.collector.pipeline;

/** The three OTLP signals, each with its own queue, batcher and tables. */
public enum Signal {
  TRACES,
  METRICS,
  LOGS
}
