package io.tskotel.collector.receiver.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.DecompressorRegistry;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.InsecureServerCredentials;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.RequestBudget;
import io.tskotel.collector.receiver.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * OTLP/gRPC: the Trace, Metrics and Logs services. Requests arrive as raw bytes (our own marshaller)
 * so a malformed message is our INVALID_ARGUMENT, not grpc's INTERNAL, and a valid one reaches the
 * sink without being serialized again. grpc-java bounds inbound messages after decompression, so
 * {@code maxMessageBytes} also stops gzip bombs (RESOURCE_EXHAUSTED).
 */
public final class GrpcOtlpServer {
  private static final MethodDescriptor.Marshaller<Inbound> INBOUND = new InboundMarshaller();
  /** The permit of the call being handled, for the handler to settle once it knows the message's size. */
  private static final Context.Key<RequestBudget.Permit> PERMIT = Context.key("tskotel-request-permit");

  private final String host;
  private final int requestedPort;
  private final Server server;

  public GrpcOtlpServer(
      String host,
      int port,
      int maxMessageBytes,
      int flowControlWindow,
      int maxConcurrentStreams,
      @Nullable BearerAuth auth,
      @Nullable TlsConfig tls,
      OtlpIngest ingest) {
    this.host = requireNonNull(host, "host");
    this.requestedPort = port;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials(tls))
            .maxInboundMessageSize(maxMessageBytes)
            // Fixed, not grown by grpc's bandwidth-delay probe (up to 8 MiB per stream and connection): bytes a
            // client sends for a call not yet admitted (or refused) wait in direct memory until read or reset,
            // at most one window per connection.
            .flowControlWindow(flowControlWindow)
            .decompressorRegistry(
                DecompressorRegistry.getDefaultInstance().with(new LazyGzipDecompressor(), true));
    if (maxConcurrentStreams > 0) {
      builder.maxConcurrentCallsPerConnection(maxConcurrentStreams);
    }
    for (ServerServiceDefinition service :
        new ServerServiceDefinition[] {
          service(TraceServiceGrpc.SERVICE_NAME, TraceServiceGrpc.getExportMethod(), OtlpCodec.TRACES, ingest,
              maxMessageBytes),
          service(MetricsServiceGrpc.SERVICE_NAME, MetricsServiceGrpc.getExportMethod(), OtlpCodec.METRICS, ingest,
              maxMessageBytes),
          service(LogsServiceGrpc.SERVICE_NAME, LogsServiceGrpc.getExportMethod(), OtlpCodec.LOGS, ingest,
              maxMessageBytes)
        }) {
      // The token is checked first: an unauthenticated call takes nothing from the budget.
      builder.addService(
          auth == null
              ? service
              : ServerInterceptors.intercept(
                  service, new GrpcBearerInterceptor(auth, ingest.metrics())));
    }
    this.server = builder.build();
  }

  private static ServerCredentials credentials(@Nullable TlsConfig tls) {
    if (tls == null) {
      return InsecureServerCredentials.create();
    }
    PemTls pem = PemTls.load(tls);
    TlsServerCredentials.Builder builder =
        TlsServerCredentials.newBuilder().keyManager(pem.keyManagers());
    if (pem.trustManagers() != null) {
      builder
          .trustManager(pem.trustManagers())
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
  }

  private static <Req extends Message, Resp extends Message> ServerServiceDefinition service(
      String serviceName,
      MethodDescriptor<Req, Resp> generated,
      OtlpCodec<Req, Resp> codec,
      OtlpIngest ingest,
      int maxMessageBytes) {
    MethodDescriptor<Inbound, Resp> method =
        generated.toBuilder(INBOUND, ProtoUtils.marshaller(codec.defaultResponse())).build();
    ServerServiceDefinition service = ServerServiceDefinition.builder(serviceName)
        .addMethod(
            method,
            ServerCalls.asyncUnaryCall(
                (Inbound request, StreamObserver<Resp> response) ->
                    export(codec, ingest, request, response)))
        .build();
    return ServerInterceptors.intercept(service, new Admission(ingest, codec.signal(), maxMessageBytes));
  }

  /**
   * Admits a call before its message is read: grpc-java reads a unary call's message only once the handler
   * asks for it, which the handler does when it starts, so a call refused here (memory guard over its limit,
   * or the {@link RequestBudget} spent) costs no more than its headers. The size of the message is not known
   * before it is read, so a call holds the largest allowed size until the handler settles to the real one.
   */
  private static final class Admission implements ServerInterceptor {
    private final OtlpIngest ingest;
    private final Signal signal;
    private final int maxMessageBytes;

    Admission(OtlpIngest ingest, Signal signal, int maxMessageBytes) {
      this.ingest = ingest;
      this.signal = signal;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      OtlpIngest.Entry entry = ingest.enter(signal, maxMessageBytes);
      RequestBudget.Permit permit = entry.permit();
      if (permit == null) {
        // RESOURCE_EXHAUSTED with RetryInfo: OTLP's "throttled, retry after the delay".
        StatusRuntimeException refusal = retryable(Code.RESOURCE_EXHAUSTED, requireNonNull(entry.refusal()));
        Metadata trailers = refusal.getTrailers();
        GrpcEarlyClose.closeUnread(call, refusal.getStatus(), trailers == null ? new Metadata() : trailers);
        return new ServerCall.Listener<>() {};
      }
      ServerCall<ReqT, RespT> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          try {
            super.close(status, trailers);
          } finally {
            permit.close();
          }
        }
      };
      ServerCall.Listener<ReqT> listener;
      try {
        listener = Contexts.interceptCall(Context.current().withValue(PERMIT, permit), releasing, headers, next);
      } catch (RuntimeException e) {
        permit.close();
        throw e;
      }
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        @Override
        public void onCancel() {
          try {
            super.onCancel();
          } finally {
            permit.close();
          }
        }

        @Override
        public void onComplete() {
          try {
            super.onComplete();
          } finally {
            permit.close();
          }
        }
      };
    }
  }

  private static <Req extends Message, Resp extends Message> void export(
      OtlpCodec<Req, Resp> codec,
      OtlpIngest ingest,
      Inbound inbound,
      StreamObserver<Resp> response) {
    if (inbound.error() != null) {
      ingest.metrics().failedRequest(codec.signal());
      response.onError(inbound.error().asRuntimeException());
      return;
    }
    byte[] bytes = inbound.bytes();
    RequestBudget.Permit permit = PERMIT.get();
    if (permit != null) {
      permit.settle(bytes.length);
    }
    IngestResult result;
    try {
      result = ingest.ingestProtobuf(codec, bytes, permit);
    } catch (InvalidProtocolBufferException e) {
      ingest.metrics().failedRequest(codec.signal());
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription("malformed OTLP protobuf: " + e.getMessage())
              .asRuntimeException());
      return;
    }
    switch (result) {
      case IngestResult.Done done -> {
        response.onNext(codec.response(done.rejectedItems(), done.errorMessage()));
        response.onCompleted();
      }
      case IngestResult.RetryLater retry -> response.onError(retryable(Code.UNAVAILABLE, retry));
      case IngestResult.Failed failed ->
          response.onError(Status.INTERNAL.withDescription(failed.message()).asRuntimeException());
    }
  }

  /** {@code code} with a {@code google.rpc.RetryInfo} detail, which OTLP exporters honour. */
  private static StatusRuntimeException retryable(Code code, IngestResult.RetryLater retry) {
    Duration delay = retry.retryAfter();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(retry.message())
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder()
                                .setSeconds(delay.getSeconds())
                                .setNanos(delay.getNano()))
                        .build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  public void start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen for OTLP/gRPC on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public String host() {
    return host;
  }

  /** Stops taking calls, lets running ones finish for up to {@code grace}, then cuts the rest. */
  public void shutdown(Duration grace) {
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A request's bytes, or why they could not be read. grpc decompresses while the marshaller reads
   * and enforces the size limit there; an exception escaping {@code parse} would reach the client as
   * UNKNOWN, so the status travels in the value instead.
   */
  record Inbound(byte[] bytes, @Nullable Status error) {}

  private static final class InboundMarshaller implements MethodDescriptor.Marshaller<Inbound> {
    @Override
    public InputStream stream(Inbound value) {
      return new ByteArrayInputStream(value.bytes());
    }

    @Override
    public Inbound parse(InputStream stream) {
      try {
        return new Inbound(readAll(stream), null);
      } catch (StatusRuntimeException e) {
        // Decompressed message over maxInboundMessageSize: RESOURCE_EXHAUSTED.
        return new Inbound(new byte[0], e.getStatus());
      } catch (IOException e) {
        // The message is already in memory: only decompressing it can fail, on the client's bytes.
        String reason = e.getMessage() == null ? "it ends too early" : e.getMessage();
        return new Inbound(new byte[0], Status.INVALID_ARGUMENT.withDescription("malformed gzip message: " + reason));
      } catch (RuntimeException e) {
        return new Inbound(new byte[0], Status.INTERNAL.withDescription("cannot read request: " + e.getMessage()));
      }
    }

    /**
     * An uncompressed message's stream knows its length: read it into one array of that size.
     * {@code readAllBytes} would read it in chunks and copy them into the result, twice the request's bytes.
     */
    private static byte[] readAll(InputStream stream) throws IOException {
      if (!(stream instanceof KnownLength)) {
        return stream.readAllBytes();
      }
      byte[] bytes = new byte[stream.available()];
      int n = stream.readNBytes(bytes, 0, bytes.length);
      byte[] rest = stream.readAllBytes(); // empty: the stream said how much it holds
      if (n == bytes.length && rest.length == 0) {
        return bytes;
      }
      byte[] all = Arrays.copyOf(bytes, n + rest.length);
      System.arraycopy(rest, 0, all, n, rest.length);
      return all;
    }
  }
}
