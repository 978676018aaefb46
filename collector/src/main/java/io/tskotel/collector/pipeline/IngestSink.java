package io.tskotel.collector.pipeline;

/**
 * Where receivers hand validated OTLP requests. A request is acknowledged to its client only when
 * {@link #admit} answered {@link Admission.Outcome#ACCEPTED}: by then its bytes are durable.
 */
public interface IngestSink {

  /**
   * Durably accepts {@code otlpProtobuf} (a serialized {@code Export*ServiceRequest} of {@code signal}
   * holding {@code itemCount} spans, points or log records) or refuses it. Never throws.
   */
  Admission admit(Signal signal, byte[] otlpProtobuf, int itemCount);
}
