package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.traces;
import static io.tskotel.collector.receiver.OtlpTestData.validSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.JavaSdkExporters.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS from PEM files on both listeners, with the Java SDK exporters as clients. */
class TlsReceiverTest {
  private static final String TOKEN = "tls-and-token";
  @TempDir static Path dir;
  private static TestCertificates certs;
  private static final RecordingSink sink = new RecordingSink();
  private static OtlpReceiver tls;
  private static OtlpReceiver mtls;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.create(dir);
    TlsConfig server = TlsConfig.of(certs.serverCert(), certs.serverKey());
    OtlpReceiverConfig base =
        OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).tls(server).build();
    tls = OtlpReceiver.create(base, sink);
    tls.start();
    mtls =
        OtlpReceiver.create(
            base.toBuilder().tls(server.withClientCa(certs.caCert())).authToken(TOKEN).build(), sink);
    mtls.start();
  }

  @AfterAll
  static void stop() {
    if (tls != null) tls.shutdown();
    if (mtls != null) mtls.shutdown();
  }

  @BeforeEach
  void clear() {
    sink.clear();
  }

  @Test
  void tls_javaSdkGrpcAndHttp_everythingArrives() throws Exception {
    for (Transport transport : Transport.values()) {
      int port = transport == Transport.GRPC ? tls.grpcPort() : tls.httpPort();
      JavaSdkExporters exporters =
          JavaSdkExporters.plain(transport, "https://localhost:" + port, true)
              .withTls(certs.caPem(), null, null);

      JavaSdkScenario.sendAndVerifyAll(exporters, sink, "tls-" + transport);
    }
  }

  @Test
  void mtls_javaSdkWithClientCertificateAndToken_everythingArrives() throws Exception {
    for (Transport transport : Transport.values()) {
      int port = transport == Transport.GRPC ? mtls.grpcPort() : mtls.httpPort();
      JavaSdkExporters exporters =
          JavaSdkExporters.plain(transport, "https://localhost:" + port, false)
              .withTls(certs.caPem(), certs.clientKeyPem(), certs.clientCertPem())
              .withToken(TOKEN);

      JavaSdkScenario.sendAndVerifyAll(exporters, sink, "mtls-" + transport);
    }
    assertThat(sink.itemCount(Signal.LOGS)).isGreaterThanOrEqualTo(4);
  }

  private static SSLContext trustingTestCa() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(certs.caCert())) {
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  @Test
  void mtls_httpClientWithoutCertificate_refusedInHandshake() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustingTestCa()).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("https://localhost:" + mtls.httpPort() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofByteArray(traces(validSpan("no-cert", 1)).toByteArray()))
            .build();

    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
    assertThat(sink.spans()).isEmpty();
  }

  @Test
  void tls_httpClientTrustingCa_200() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trustingTestCa()).build();
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + tls.httpPort() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(traces(validSpan("over-tls", 1)).toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sink.spans()).extracting(Span::getName).containsExactly("over-tls");
  }

  @Test
  void mtls_grpcClientWithoutCertificate_unavailable() throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "localhost", mtls.grpcPort(),
                TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()).build())
            .build();
    try {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> TraceServiceGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(20, TimeUnit.SECONDS)
                  .export(traces(validSpan("no-cert", 1))));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(sink.spans()).isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void tls_plaintextGrpcClient_fails() throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", tls.grpcPort(), io.grpc.InsecureChannelCredentials.create())
            .build();
    try {
      StatusRuntimeException e =
          catchThrowableOfType(
              StatusRuntimeException.class,
              () -> TraceServiceGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(20, TimeUnit.SECONDS)
                  .export(traces(validSpan("plaintext", 1))));
      assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.OK);
      assertThat(sink.spans()).isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
