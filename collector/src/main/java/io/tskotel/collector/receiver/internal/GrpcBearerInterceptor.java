package io.tskotel.collector.receiver.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.tskotel.collector.telemetry.CollectorMetrics;

/** Refuses calls without the configured bearer token in their {@code authorization} metadata. */
final class GrpcBearerInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final BearerAuth auth;
  private final CollectorMetrics metrics;

  GrpcBearerInterceptor(BearerAuth auth, CollectorMetrics metrics) {
    this.auth = auth;
    this.metrics = metrics;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (auth.allows(headers.get(AUTHORIZATION))) {
      return next.startCall(call, headers);
    }
    metrics.unauthenticated();
    // Its message is never read: the stream is reset after the status, so a client still sending stops.
    GrpcEarlyClose.closeUnread(
        call, Status.UNAUTHENTICATED.withDescription("missing or invalid bearer token"), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
