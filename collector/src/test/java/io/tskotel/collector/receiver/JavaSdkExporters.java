package io.tskotel.collector.receiver;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The Java SDK's real OTLP exporters, pointed at our receivers. */
public record JavaSdkExporters(
    Transport transport,
    String baseUrl,
    boolean gzip,
    byte @Nullable [] trustedCaPem,
    byte @Nullable [] clientKeyPem,
    byte @Nullable [] clientCertPem,
    @Nullable String bearerToken) {

  public enum Transport {
    GRPC,
    HTTP_PROTOBUF
  }

  public static JavaSdkExporters plain(Transport transport, String baseUrl, boolean gzip) {
    return new JavaSdkExporters(transport, baseUrl, gzip, null, null, null, null);
  }

  JavaSdkExporters withTls(byte[] caPem, byte @Nullable [] keyPem, byte @Nullable [] certPem) {
    return new JavaSdkExporters(transport, baseUrl, gzip, caPem, keyPem, certPem, bearerToken);
  }

  JavaSdkExporters withToken(String token) {
    return new JavaSdkExporters(transport, baseUrl, gzip, trustedCaPem, clientKeyPem, clientCertPem, token);
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  public SpanExporter spans() {
    if (transport == Transport.GRPC) {
      var b = OtlpGrpcSpanExporter.builder().setEndpoint(baseUrl).setTimeout(TIMEOUT).setRetryPolicy(null);
      if (gzip) b.setCompression("gzip");
      if (trustedCaPem != null) b.setTrustedCertificates(trustedCaPem);
      if (clientKeyPem != null) b.setClientTls(clientKeyPem, clientCertPem);
      if (bearerToken != null) b.addHeader("Authorization", "Bearer " + bearerToken);
      return b.build();
    }
    var b = OtlpHttpSpanExporter.builder().setEndpoint(baseUrl + "/v1/traces").setTimeout(TIMEOUT).setRetryPolicy(null);
    if (gzip) b.setCompression("gzip");
    if (trustedCaPem != null) b.setTrustedCertificates(trustedCaPem);
    if (clientKeyPem != null) b.setClientTls(clientKeyPem, clientCertPem);
    if (bearerToken != null) b.addHeader("Authorization", "Bearer " + bearerToken);
    return b.build();
  }

  public MetricExporter metrics() {
    if (transport == Transport.GRPC) {
      var b = OtlpGrpcMetricExporter.builder().setEndpoint(baseUrl).setTimeout(TIMEOUT).setRetryPolicy(null);
      if (gzip) b.setCompression("gzip");
      if (trustedCaPem != null) b.setTrustedCertificates(trustedCaPem);
      if (clientKeyPem != null) b.setClientTls(clientKeyPem, clientCertPem);
      if (bearerToken != null) b.addHeader("Authorization", "Bearer " + bearerToken);
      return b.build();
    }
    var b = OtlpHttpMetricExporter.builder().setEndpoint(baseUrl + "/v1/metrics").setTimeout(TIMEOUT).setRetryPolicy(null);
    if (gzip) b.setCompression("gzip");
    if (trustedCaPem != null) b.setTrustedCertificates(trustedCaPem);
    if (clientKeyPem != null) b.setClientTls(clientKeyPem, clientCertPem);
    if (bearerToken != null) b.addHeader("Authorization", "Bearer " + bearerToken);
    return b.build();
  }

  public LogRecordExporter logs() {
    if (transport == Transport.GRPC) {
      var b = OtlpGrpcLogRecordExporter.builder().setEndpoint(baseUrl).setTimeout(TIMEOUT).setRetryPolicy(null);
      if (gzip) b.setCompression("gzip");
      if (trustedCaPem != null) b.setTrustedCertificates(trustedCaPem);
      if (clientKeyPem != null) b.setClientTls(clientKeyPem, clientCertPem);
      if (bearerToken != null) b.addHeader("Authorization", "Bearer " + bearerToken);
      return b.build();
    }
    var b = OtlpHttpLogRecordExporter.builder().setEndpoint(baseUrl + "/v1/logs").setTimeout(TIMEOUT).setRetryPolicy(null);
    if (gzip) b.setCompression("gzip");
    if (trustedCaPem != null) b.setTrustedCertificates(trustedCaPem);
    if (clientKeyPem != null) b.setClientTls(clientKeyPem, clientCertPem);
    if (bearerToken != null) b.addHeader("Authorization", "Bearer " + bearerToken);
    return b.build();
  }
}
