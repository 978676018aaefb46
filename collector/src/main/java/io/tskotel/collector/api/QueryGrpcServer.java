package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.tskotel.collector.receiver.internal.BearerAuth;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.QueryFunctions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tskotel.v1.QueryService} on a gRPC port of its own (default 127.0.0.1:8081: an admin surface, so
 * loopback like the HTTP API, and apart from the OTLP port 4317 that binds every interface). With a bearer
 * token, calls need {@code authorization: Bearer <token>} metadata, else UNAUTHENTICATED.
 *
 * <p>{@link #start()} and {@link #shutdown()} are each safe to call twice.
 */
public final class QueryGrpcServer {
  private static final Logger log = LoggerFactory.getLogger(QueryGrpcServer.class);
  public static final int DEFAULT_PORT = 8081;
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String host;
  private final Server server;
  private boolean started;
  private boolean stopped;

  private QueryGrpcServer(
      String host, int port, @Nullable String bearerToken, QueryFunctions functions, TelemetryStore store) {
    this.host = requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
    }
    QueryGrpcService service = new QueryGrpcService(functions, store);
    var definition =
        bearerToken == null
            ? service.bindService()
            : ServerInterceptors.intercept(service, new BearerInterceptor(bearerToken));
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port)).addService(definition).build();
  }

  /** {@code bearerToken} null turns auth off. */
  public static QueryGrpcServer create(
      String host,
      int port,
      @Nullable String bearerToken,
      QueryFunctions functions,
      TelemetryStore store) {
    return new QueryGrpcServer(host, port, bearerToken, functions, store);
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for the query gRPC service on " + host, e);
    }
    log.info("query gRPC service listening on {}:{}", host, server.getPort());
  }

  public int port() {
    return server.getPort();
  }

  public synchronized void shutdown() {
    if (!started || stopped) {
      return;
    }
    stopped = true;
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    log.info("query gRPC service stopped");
  }

  /** The OTLP receivers' check ({@link BearerAuth}: hashed, constant-time) on gRPC metadata. */
  private static final class BearerInterceptor implements ServerInterceptor {
    private final BearerAuth auth;

    BearerInterceptor(String token) {
      this.auth = new BearerAuth(token);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      if (auth.allows(headers.get(AUTHORIZATION))) {
        return next.startCall(call, headers);
      }
      call.close(
          Status.UNAUTHENTICATED.withDescription("a valid bearer token is required"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }
}
