package io.tskotel.collector.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP/gRPC over {@code connections} channels (one HTTP/2 connection each), requests spread round robin. The
 * bodies are sent as the bytes they were encoded to once: a pass-through marshaller, no re-serialization.
 */
final class GrpcTransport implements Transport {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final LoadConfig.Signal signal;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final MethodDescriptor<byte[], byte[]> method;
  private final AtomicInteger next = new AtomicInteger();

  GrpcTransport(LoadConfig config) {
    this.signal = config.signal();
    String service = switch (signal) {
      case TRACES -> "opentelemetry.proto.collector.trace.v1.TraceService";
      case METRICS -> "opentelemetry.proto.collector.metrics.v1.MetricsService";
      case LOGS -> "opentelemetry.proto.collector.logs.v1.LogsService";
    };
    method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES)
        .build();
    String host = config.endpoint().getHost();
    int port = config.endpoint().getPort() > 0 ? config.endpoint().getPort() : 4317;
    for (int i = 0; i < config.connections(); i++) {
      var builder = Grpc.newChannelBuilderForAddress(host, port, "https".equals(config.endpoint().getScheme())
          ? TlsChannelCredentials.create() : InsecureChannelCredentials.create());
      if (config.token() != null) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + config.token());
        builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      // No grpc retries (the load generator retries, and counts it): a retriable call's stream does not pass on a
      // cancel once it closed, and the cancel below is what ends an answered call's stream.
      channels.add(builder.maxInboundMessageSize(16 << 20).disableRetry().build());
    }
  }

  private static final long CALL_TIMEOUT_SECONDS = 30;

  @Override
  public CompletableFuture<Answer> send(byte[] body) {
    ManagedChannel channel = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    // A deadline as an OTLP exporter's timeout: a call the collector never answers (e.g. refused while the client
    // was still sending a message larger than its flow-control window) ends, retryably, instead of hanging.
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ClientCall<byte[], byte[]> call = channel.newCall(method, options);
    Futures.addCallback(ClientCalls.futureUnaryCall(call, body),
        new FutureCallback<>() {
          @Override
          public void onSuccess(byte[] response) {
            answer.complete(Answer.accepted(Transport.rejectedItems(signal, response)));
          }

          @Override
          public void onFailure(Throwable t) {
            // A call answered before its message was sent whole (refused unread) keeps its HTTP/2 stream, and the
            // unsent rest of the message, until one side resets it; grpc-java's client does not when the call had
            // half-closed, which a unary call does at once. Cancelling the answered call resets the stream (a
            // no-op when it is already closed). Without it, each refusal of a big request from a server that does
            // not reset (grpc-java#2162) keeps megabytes here and a stream of the connection's limit, until the
            // channel is closed: under a storm of retried refusals the client ran out of both and stalled.
            call.cancel("answered: " + Status.fromThrowable(t).getCode(), null);
            Status status = Status.fromThrowable(t);
            Outcome outcome = switch (status.getCode()) {
              case UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, ABORTED -> Outcome.RETRYABLE;
              default -> Outcome.REFUSED;
            };
            // A permanent refusal says why (there are few); retryable ones are counted by code alone.
            String detail = outcome == Outcome.REFUSED && status.getDescription() != null
                ? status.getCode() + ": " + abbreviate(status.getDescription())
                : status.getCode().name();
            answer.complete(new Answer(outcome, 0, retryDelayMillis(t), detail));
          }
        }, MoreExecutors.directExecutor());
    return answer;
  }

  private static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }

  /** The delay a {@code google.rpc.RetryInfo} detail of the status asks for (OTLP's throttling), or 0. */
  static long retryDelayMillis(Throwable t) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status == null) {
      return 0;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
          return Math.max(0, d.getSeconds() * 1000 + d.getNanos() / 1_000_000);
        } catch (InvalidProtocolBufferException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
