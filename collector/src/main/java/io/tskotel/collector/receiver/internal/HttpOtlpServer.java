package io.tskotel.collector.receiver.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.receiver.RequestBudget;
import io.tskotel.collector.receiver.TlsConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP on Javalin: {@code POST /v1/traces|metrics|logs} in protobuf or JSON, answered in the
 * request's encoding with the status codes of the OTLP specification.
 */
public final class HttpOtlpServer {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final ThrottledLog LOG =
      new ThrottledLog(LoggerFactory.getLogger(HttpOtlpServer.class), Duration.ofSeconds(10));

  private final String host;
  private final int requestedPort;
  private final int maxMessageBytes;
  private final @Nullable BearerAuth auth;
  private final OtlpIngest ingest;
  private final Javalin app;
  private volatile @Nullable ServerConnector connector;

  public HttpOtlpServer(
      String host,
      int port,
      int maxMessageBytes,
      @Nullable BearerAuth auth,
      @Nullable TlsConfig tls,
      OtlpIngest ingest) {
    this.host = requireNonNull(host, "host");
    this.requestedPort = port;
    this.maxMessageBytes = maxMessageBytes;
    this.auth = auth;
    this.ingest = requireNonNull(ingest, "ingest");
    // Load the PEM files now so a bad file fails here, with its name, rather than inside Jetty.
    SslContextFactory.Server ssl = tls == null ? null : sslContextFactory(tls);
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.prefer405over404 = true;
              config.jetty.addConnector((server, httpConfig) -> connector(server, httpConfig, ssl));
              for (OtlpCodec<?, ?> codec :
                  new OtlpCodec<?, ?>[] {OtlpCodec.TRACES, OtlpCodec.METRICS, OtlpCodec.LOGS}) {
                config.routes.post(codec.httpPath(), ctx -> export(ctx, codec));
              }
            });
  }

  private static SslContextFactory.Server sslContextFactory(TlsConfig tls) {
    PemTls pem = PemTls.load(tls);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(pem.sslContext());
    ssl.setNeedClientAuth(pem.trustManagers() != null);
    return ssl;
  }

  private ServerConnector connector(
      Server server, HttpConfiguration httpConfig, SslContextFactory.@Nullable Server ssl) {
    ServerConnector c;
    if (ssl == null) {
      c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
    } else {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Clients check the certificate; refusing requests whose Host differs from it helps nobody.
      secure.setSniHostCheck(false);
      httpConfig.addCustomizer(secure);
      c =
          new ServerConnector(
              server,
              new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(httpConfig));
    }
    c.setHost(host);
    c.setPort(requestedPort);
    connector = c;
    return c;
  }

  private <Req extends Message> void export(Context ctx, OtlpCodec<Req, ?> codec) {
    RequestBody body = new RequestBody(ctx.req());
    try {
      export(ctx, codec, body);
    } finally {
      // Refused early, a body may be partly unread; a refused request costs at most a few limits.
      body.discardRest(2L * maxMessageBytes);
    }
  }

  private <Req extends Message> void export(Context ctx, OtlpCodec<Req, ?> codec, RequestBody requestBody) {
    boolean json = false;
    try {
      String mediaType = mediaType(ctx.header("Content-Type"));
      boolean protobuf = mediaType.equals(PROTOBUF);
      // Errors go back in the request's encoding; JSON when that is unknown, as people read those.
      json = !protobuf;
      if (auth != null && !auth.allows(ctx.header("Authorization"))) {
        ingest.metrics().unauthenticated();
        ctx.header("WWW-Authenticate", "Bearer");
        error(ctx, json, HttpStatus.UNAUTHORIZED, Code.UNAUTHENTICATED, "missing or invalid bearer token");
        return;
      }
      if (!protobuf && !mediaType.equals(JSON)) {
        fail(ctx, codec, json, HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT,
            "unsupported Content-Type '" + Text.clip(mediaType) + "' (expected: " + PROTOBUF
                + " or " + JSON + ")");
        return;
      }
      // Before reading: a body is read only with a permit for its size, so the bytes of requests in flight are
      // bounded (RequestBudget). Its announced length when that is all it can become, else the largest allowed.
      // OTLP JSON is parsed into objects, many times its size: its permit holds that from the start, so that
      // requests already read never refuse each other's parse.
      String encoding = ctx.header("Content-Encoding");
      long announced = ctx.req().getContentLengthLong();
      boolean identity = encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity");
      long size = identity && announced >= 0 ? Math.min(announced, maxMessageBytes) : maxMessageBytes;
      OtlpIngest.Entry entry = ingest.enter(codec.signal(), json ? size * OtlpIngest.JSON_BYTES_PER_BYTE : size);
      RequestBudget.Permit permit = entry.permit();
      if (permit == null) {
        IngestResult.RetryLater refusal = requireNonNull(entry.refusal());
        ctx.header("Retry-After", Long.toString(retryAfterSeconds(refusal.retryAfter())));
        error(ctx, json, HttpStatus.SERVICE_UNAVAILABLE, Code.RESOURCE_EXHAUSTED, refusal.message());
        return;
      }
      try {
        export(ctx, codec, requestBody, json, encoding, announced, permit);
      } finally {
        permit.close();
      }
    } catch (IOException e) {
      // The client went away or sent a broken body; nothing was ingested.
      fail(ctx, codec, json, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT,
          "cannot read request body: " + e.getMessage());
    } catch (RuntimeException e) {
      ingest.metrics().failedRequest(codec.signal());
      LOG.warnWithStackTrace("failed to handle OTLP/HTTP request on " + codec.httpPath(), e);
      error(ctx, json, HttpStatus.INTERNAL_SERVER_ERROR, Code.INTERNAL, "internal error");
    }
  }

  /** Reads, parses and ingests an admitted request. */
  private <Req extends Message> void export(
      Context ctx,
      OtlpCodec<Req, ?> codec,
      RequestBody requestBody,
      boolean json,
      @Nullable String encoding,
      long announced,
      RequestBudget.Permit permit)
      throws IOException {
    byte[] body;
    try {
      body = BoundedBody.read(requestBody.open(), encoding, announced, maxMessageBytes);
      permit.settle(json ? (long) body.length * OtlpIngest.JSON_BYTES_PER_BYTE : body.length);
    } catch (BoundedBody.TooLargeException e) {
      fail(ctx, codec, json, HttpStatus.CONTENT_TOO_LARGE, Code.RESOURCE_EXHAUSTED, e.getMessage());
      return;
    } catch (BoundedBody.UnsupportedEncodingException e) {
      fail(ctx, codec, json, HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT, e.getMessage());
      return;
    } catch (BoundedBody.MalformedBodyException e) {
      fail(ctx, codec, json, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    IngestResult result;
    try {
      if (json) {
        Message.Builder builder = codec.newRequestBuilder();
        OtlpJson.merge(body, builder);
        @SuppressWarnings("unchecked")
        Req parsed = (Req) builder.build();
        result = ingest.ingest(codec, parsed, null);
      } else {
        result = ingest.ingestProtobuf(codec, body, permit);
      }
    } catch (InvalidProtocolBufferException e) {
      fail(ctx, codec, json, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT,
          "malformed OTLP protobuf: " + e.getMessage());
      return;
    } catch (OtlpJson.InvalidOtlpJsonException e) {
      fail(ctx, codec, json, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    switch (result) {
      case IngestResult.Done done ->
          respond(ctx, json, HttpStatus.OK, codec.response(done.rejectedItems(), done.errorMessage()));
      case IngestResult.RetryLater retry -> {
        ctx.header("Retry-After", Long.toString(retryAfterSeconds(retry.retryAfter())));
        error(ctx, json, HttpStatus.SERVICE_UNAVAILABLE, Code.UNAVAILABLE, retry.message());
      }
      case IngestResult.Failed failed ->
          error(ctx, json, HttpStatus.INTERNAL_SERVER_ERROR, Code.INTERNAL, failed.message());
    }
  }

  /** Whole-request failure: counted, then answered. */
  private void fail(
      Context ctx, OtlpCodec<?, ?> codec, boolean json, HttpStatus status, Code code, String message) {
    ingest.metrics().failedRequest(codec.signal());
    error(ctx, json, status, code, message);
  }

  private static void error(Context ctx, boolean json, HttpStatus status, Code code, String message) {
    respond(
        ctx,
        json,
        status,
        com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
  }

  private static void respond(Context ctx, boolean json, HttpStatus status, Message body) {
    ctx.status(status);
    if (json) {
      ctx.contentType(JSON).result(OtlpJson.print(body));
    } else {
      ctx.contentType(PROTOBUF).result(body.toByteArray());
    }
  }

  static long retryAfterSeconds(Duration retryAfter) {
    long millis = Math.max(0, retryAfter.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }

  private static String mediaType(@Nullable String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  public void start() {
    try {
      app.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen for OTLP/HTTP on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    ServerConnector c = connector;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return c.getLocalPort();
  }

  public String host() {
    return host;
  }

  public void shutdown() {
    app.stop();
  }
}
