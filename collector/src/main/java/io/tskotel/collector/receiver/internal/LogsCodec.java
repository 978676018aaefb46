package io.tskotel.collector.receiver.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tskotel.collector.pipeline.Signal;
import org.jspecify.annotations.Nullable;

/** Logs: trace and span ids are optional, but when present must be well-formed. */
public final class LogsCodec extends OtlpCodec<ExportLogsServiceRequest, ExportLogsServiceResponse> {

  LogsCodec() {}

  @Override
  public Signal signal() {
    return Signal.LOGS;
  }

  @Override
  public String httpPath() {
    return "/v1/logs";
  }

  @Override
  public ExportLogsServiceRequest parse(byte[] protobuf) throws InvalidProtocolBufferException {
    return ExportLogsServiceRequest.parseFrom(protobuf);
  }

  @Override
  public long walkValid(byte[] protobuf) {
    return WireWalk.logs(protobuf);
  }

  @Override
  Message.Builder newRequestBuilder() {
    return ExportLogsServiceRequest.newBuilder();
  }

  @Override
  String itemNoun() {
    return "log records";
  }

  static @Nullable String problem(LogRecord log) {
    String problem = Ids.optionalProblem("trace_id", log.getTraceId(), Ids.TRACE_ID_BYTES);
    if (problem == null) {
      problem = Ids.optionalProblem("span_id", log.getSpanId(), Ids.SPAN_ID_BYTES);
    }
    return problem == null ? null : "log record: " + problem;
  }

  @Override
  public Validated<ExportLogsServiceRequest> validate(ExportLogsServiceRequest request) {
    long total = 0;
    boolean anyInvalid = false;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord log : sl.getLogRecordsList()) {
          total++;
          anyInvalid |= problem(log) != null;
        }
      }
    }
    if (!anyInvalid) {
      return new Validated<>(request, false, total, 0, "");
    }
    Rejections rejections = new Rejections(itemNoun());
    ExportLogsServiceRequest.Builder kept = ExportLogsServiceRequest.newBuilder();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      ResourceLogs.Builder rlb = rl.toBuilder().clearScopeLogs();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder slb = sl.toBuilder().clearLogRecords();
        for (LogRecord log : sl.getLogRecordsList()) {
          String problem = problem(log);
          if (problem == null) {
            slb.addLogRecords(log);
          } else {
            rejections.add(1, problem);
          }
        }
        if (slb.getLogRecordsCount() > 0) {
          rlb.addScopeLogs(slb);
        }
      }
      if (rlb.getScopeLogsCount() > 0) {
        kept.addResourceLogs(rlb);
      }
    }
    return new Validated<>(
        kept.build(), true, total - rejections.items(), rejections.items(), rejections.message(total));
  }

  @Override
  public ExportLogsServiceResponse response(long rejectedItems, String errorMessage) {
    if (rejectedItems == 0 && errorMessage.isEmpty()) {
      return defaultResponse();
    }
    return ExportLogsServiceResponse.newBuilder()
        .setPartialSuccess(
            ExportLogsPartialSuccess.newBuilder()
                .setRejectedLogRecords(rejectedItems)
                .setErrorMessage(errorMessage))
        .build();
  }

  @Override
  public ExportLogsServiceResponse defaultResponse() {
    return ExportLogsServiceResponse.getDefaultInstance();
  }
}
