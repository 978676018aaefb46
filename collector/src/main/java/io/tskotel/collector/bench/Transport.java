package io.tskotel.collector.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.concurrent.CompletableFuture;

/** Sends one encoded request and tells how the collector answered; never completes exceptionally. */
interface Transport extends AutoCloseable {

  CompletableFuture<Answer> send(byte[] body);

  @Override
  void close();

  /** The rejected count of a protobuf export response's partial success; 0 when it cannot be read. */
  static long rejectedItems(LoadConfig.Signal signal, byte[] response) {
    try {
      return switch (signal) {
        case TRACES -> ExportTraceServiceResponse.parseFrom(response).getPartialSuccess().getRejectedSpans();
        case METRICS -> ExportMetricsServiceResponse.parseFrom(response).getPartialSuccess().getRejectedDataPoints();
        case LOGS -> ExportLogsServiceResponse.parseFrom(response).getPartialSuccess().getRejectedLogRecords();
      };
    } catch (InvalidProtocolBufferException e) {
      return 0;
    }
  }

  /** What one attempt came to. */
  enum Outcome {
    /** Taken (possibly with some items rejected: see {@link Answer#rejectedItems()}). */
    ACCEPTED,
    /** Refused for now (queue full, store down): send again later. */
    RETRYABLE,
    /** Refused for good (bad request, unauthenticated, unknown error). */
    REFUSED
  }

  /**
   * @param rejectedItems items the collector's partial success said it rejected
   * @param retryAfterMillis the delay the collector asked for, or 0
   * @param detail a status code or message, for the summary of refusals
   */
  record Answer(Outcome outcome, long rejectedItems, long retryAfterMillis, String detail) {
    static Answer accepted(long rejectedItems) {
      return new Answer(Outcome.ACCEPTED, rejectedItems, 0, "");
    }
  }
}
