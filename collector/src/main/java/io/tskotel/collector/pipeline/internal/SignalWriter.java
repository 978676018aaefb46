package io.tskotel.collector.pipeline.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.List;

/**
 * Reads a queued {@code Export*ServiceRequest} of one signal for the batcher (its items counted, its
 * resources for the store) and writes a batch of them to the store.
 */
public abstract sealed class SignalWriter<R> {

  /** A decoded request: its resources and how many items (spans, points, log records) they hold. */
  public record Decoded<R>(List<R> resources, int items) {}

  public static SignalWriter<?> of(Signal signal) {
    return switch (signal) {
      case TRACES -> new Traces();
      case METRICS -> new Metrics();
      case LOGS -> new Logs();
    };
  }

  public abstract Decoded<R> decode(byte[] request) throws InvalidProtocolBufferException;

  public abstract void write(TelemetryStore store, List<R> resources) throws StoreException;

  /**
   * Spans stay serialized from the queue to the store ({@link TelemetryStore#writeTraceRequests}): here they
   * are only counted on the wire.
   */
  static final class Traces extends SignalWriter<byte[]> {
    @Override
    public Decoded<byte[]> decode(byte[] request) throws InvalidProtocolBufferException {
      return new Decoded<>(List.of(request), WireCount.items(request));
    }

    @Override
    public void write(TelemetryStore store, List<byte[]> requests) throws StoreException {
      store.writeTraceRequests(requests);
    }
  }

  /** Metric points stay serialized, as spans do ({@link TelemetryStore#writeMetricRequests}). */
  public static final class Metrics extends SignalWriter<byte[]> {
    @Override
    public Decoded<byte[]> decode(byte[] request) throws InvalidProtocolBufferException {
      return new Decoded<>(List.of(request), WireCount.metricPoints(request));
    }

    /** The points of a parsed metric: those of its one data field. */
    public static int points(Metric m) {
      return switch (m.getDataCase()) {
        case GAUGE -> m.getGauge().getDataPointsCount();
        case SUM -> m.getSum().getDataPointsCount();
        case HISTOGRAM -> m.getHistogram().getDataPointsCount();
        case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
        case SUMMARY -> m.getSummary().getDataPointsCount();
        case DATA_NOT_SET -> 0;
      };
    }

    @Override
    public void write(TelemetryStore store, List<byte[]> requests) throws StoreException {
      store.writeMetricRequests(requests);
    }
  }

  /** Log records stay serialized, as spans do ({@link TelemetryStore#writeLogRequests}). */
  static final class Logs extends SignalWriter<byte[]> {
    @Override
    public Decoded<byte[]> decode(byte[] request) throws InvalidProtocolBufferException {
      return new Decoded<>(List.of(request), WireCount.items(request));
    }

    @Override
    public void write(TelemetryStore store, List<byte[]> requests) throws StoreException {
      store.writeLogRequests(requests);
    }
  }
}
