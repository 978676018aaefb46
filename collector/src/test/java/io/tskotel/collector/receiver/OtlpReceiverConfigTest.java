package io.tskotel.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.receiver.internal.PemTls;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpReceiverConfigTest {

  @Test
  void defaults_standardOtlpPortsOnLocalhostOnly() {
    OtlpReceiverConfig config = OtlpReceiverConfig.defaults();

    assertThat(config.grpcEnabled()).isTrue();
    assertThat(config.httpEnabled()).isTrue();
    assertThat(config.grpcHost()).isEqualTo("localhost");
    assertThat(config.httpHost()).isEqualTo("localhost");
    assertThat(config.grpcPort()).isEqualTo(4317);
    assertThat(config.httpPort()).isEqualTo(4318);
    assertThat(config.maxMessageBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(config.authEnabled()).isFalse();
    assertThat(config.tls()).isNull();
    assertThat(config.validate()).isEmpty();
  }

  @Test
  void validate_collectsEveryError() {
    OtlpReceiverConfig config =
        OtlpReceiverConfig.builder()
            .grpcPort(70000)
            .httpPort(-1)
            .grpcHost(" ")
            .maxMessageBytes(0)
            .tls(TlsConfig.of(Path.of("/nonexistent/server.pem"), Path.of("/nonexistent/server.key")))
            .build();

    assertThat(config.validate())
        .containsExactly(
            "grpcHost: ' ' (expected: an interface address or host name)",
            "grpcPort: 70000 (expected: 0..65535)",
            "httpPort: -1 (expected: 0..65535)",
            "maxMessageBytes: 0 (expected: > 0)",
            "tls.certChainFile: /nonexistent/server.pem (expected: a readable PEM file)",
            "tls.privateKeyFile: /nonexistent/server.key (expected: a readable PEM file)");
    assertThatThrownBy(() -> OtlpReceiver.create(config, (s, b, n) -> Admission.accepted()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpcPort: 70000")
        .hasMessageContaining("maxMessageBytes: 0");
  }

  @Test
  void validate_samePortTwice_error() {
    OtlpReceiverConfig config = OtlpReceiverConfig.builder().grpcPort(5000).httpPort(5000).build();

    assertThat(config.validate())
        .containsExactly("httpPort: 5000 (expected: different from grpcPort on the same host)");
  }

  @Test
  void toString_neverShowsTheToken() {
    OtlpReceiverConfig config = OtlpReceiverConfig.builder().authToken("hunter2-secret").build();

    assertThat(config.authEnabled()).isTrue();
    assertThat(config.toString()).doesNotContain("hunter2").contains("bearer(redacted)");
  }

  @Test
  void authToken_blankMeansNoAuth() {
    assertThat(OtlpReceiverConfig.builder().authToken("").build().authEnabled()).isFalse();
    assertThat(OtlpReceiverConfig.builder().authToken("  ").build().authToken()).isNull();
  }

  @Test
  void pemTls_pkcs1KeyOrGarbage_errorNamesTheFile(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("server.pem");
    Files.writeString(cert, "not a certificate");
    Path key = dir.resolve("server.key");
    Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemTls.load(TlsConfig.of(cert, key)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(cert.toString());
    TestCertificates certs = TestCertificates.create(Files.createDirectory(dir.resolve("certs")));
    assertThatThrownBy(() -> PemTls.load(TlsConfig.of(certs.serverCert(), key)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("openssl pkcs8 -topk8");
  }
}
