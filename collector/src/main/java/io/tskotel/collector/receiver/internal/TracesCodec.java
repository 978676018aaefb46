package io.tskotel.collector.receiver.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Signal;
import org.jspecify.annotations.Nullable;

/** Traces: a span needs a 16-byte trace id and an 8-byte span id, neither all zeros. */
public final class TracesCodec extends OtlpCodec<ExportTraceServiceRequest, ExportTraceServiceResponse> {

  TracesCodec() {}

  @Override
  public Signal signal() {
    return Signal.TRACES;
  }

  @Override
  public String httpPath() {
    return "/v1/traces";
  }

  @Override
  public ExportTraceServiceRequest parse(byte[] protobuf) throws InvalidProtocolBufferException {
    return ExportTraceServiceRequest.parseFrom(protobuf);
  }

  @Override
  public long walkValid(byte[] protobuf) {
    return WireWalk.traces(protobuf);
  }

  @Override
  Message.Builder newRequestBuilder() {
    return ExportTraceServiceRequest.newBuilder();
  }

  @Override
  String itemNoun() {
    return "spans";
  }

  static @Nullable String problem(Span span) {
    String problem = Ids.problem("trace_id", span.getTraceId(), Ids.TRACE_ID_BYTES);
    if (problem == null) {
      problem = Ids.problem("span_id", span.getSpanId(), Ids.SPAN_ID_BYTES);
    }
    if (problem == null) {
      problem = Ids.optionalProblem("parent_span_id", span.getParentSpanId(), Ids.SPAN_ID_BYTES);
    }
    for (int i = 0; problem == null && i < span.getLinksCount(); i++) {
      Span.Link link = span.getLinks(i);
      problem = Ids.problem("links[" + i + "].trace_id", link.getTraceId(), Ids.TRACE_ID_BYTES);
      if (problem == null) {
        problem = Ids.problem("links[" + i + "].span_id", link.getSpanId(), Ids.SPAN_ID_BYTES);
      }
    }
    return problem == null ? null : "span '" + Text.clip(span.getName()) + "': " + problem;
  }

  @Override
  public Validated<ExportTraceServiceRequest> validate(ExportTraceServiceRequest request) {
    long total = 0;
    boolean anyInvalid = false;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          total++;
          anyInvalid |= problem(span) != null;
        }
      }
    }
    if (!anyInvalid) {
      return new Validated<>(request, false, total, 0, "");
    }
    Rejections rejections = new Rejections(itemNoun());
    ExportTraceServiceRequest.Builder kept = ExportTraceServiceRequest.newBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      ResourceSpans.Builder rsb = rs.toBuilder().clearScopeSpans();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder ssb = ss.toBuilder().clearSpans();
        for (Span span : ss.getSpansList()) {
          String problem = problem(span);
          if (problem == null) {
            ssb.addSpans(span);
          } else {
            rejections.add(1, problem);
          }
        }
        if (ssb.getSpansCount() > 0) {
          rsb.addScopeSpans(ssb);
        }
      }
      if (rsb.getScopeSpansCount() > 0) {
        kept.addResourceSpans(rsb);
      }
    }
    return new Validated<>(
        kept.build(), true, total - rejections.items(), rejections.items(), rejections.message(total));
  }

  @Override
  public ExportTraceServiceResponse response(long rejectedItems, String errorMessage) {
    if (rejectedItems == 0 && errorMessage.isEmpty()) {
      return defaultResponse();
    }
    return ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(
            ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(rejectedItems)
                .setErrorMessage(errorMessage))
        .build();
  }

  @Override
  public ExportTraceServiceResponse defaultResponse() {
    return ExportTraceServiceResponse.getDefaultInstance();
  }
}
