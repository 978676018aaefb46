package io.tskotel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receivers' failed and unauthenticated request counts are the collector's own metrics too. */
class ReceiverCountsMetricsTest {
  @TempDir Path dir;

  @Test
  void metrics_countFailedAndUnauthenticatedRequests() throws Exception {
    CollectorSettings plain = TestCollectors.settings(dir, p -> {});
    CollectorSettings settings = new CollectorSettings(plain.receiver().toBuilder().authToken("s3cret").build(),
        plain.pipeline(), plain.store(), plain.selfTelemetryInterval());
    try (ClickHouseStore store = TestStores.newStore(ReceiverCountsMetricsTest.class)) {
      Collector collector = Collector.builder(settings).store(store).start();
      try {
        sendBadRequests(collector);
        CollectorMetrics metrics = collector.metrics();
        assertThat(metrics.value(CollectorMetrics.UNAUTHENTICATED, Map.of())).isEqualTo(1);
        assertThat(metrics.value(CollectorMetrics.FAILED_REQUESTS, Map.of("signal", "traces"))).isEqualTo(1);
        assertThat(metrics.value(CollectorMetrics.FAILED_REQUESTS, Map.of("signal", "logs"))).isZero();
        assertThat(metrics.collect())
            .anySatisfy(m -> assertThat(m.getName()).isEqualTo(CollectorMetrics.UNAUTHENTICATED));
      } finally {
        collector.shutdown();
      }
    }
  }

  /** One request without the token (401), one with it but not protobuf (400). */
  private static void sendBadRequests(Collector collector) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI traces = URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/traces");

    HttpResponse<String> noToken = http.send(
        HttpRequest.newBuilder(traces).header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> malformed = http.send(
        HttpRequest.newBuilder(traces).header("Content-Type", "application/x-protobuf")
            .header("Authorization", "Bearer s3cret")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 0x01})).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(malformed.statusCode()).isEqualTo(400);
  }
}
