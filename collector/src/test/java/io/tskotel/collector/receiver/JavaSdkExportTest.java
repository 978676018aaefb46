package io.tskotel.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.JavaSdkExporters.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Java OpenTelemetry SDK's OTLP exporters (gRPC and HTTP/protobuf, plain and gzip) to our receivers. */
class JavaSdkExportTest {
  private static final RecordingSink sink = new RecordingSink();
  private static OtlpReceiver receiver;

  @BeforeAll
  static void start() {
    receiver =
        OtlpReceiver.create(
            OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).build(), sink);
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.shutdown();
  }

  @BeforeEach
  void clear() {
    sink.clear();
  }

  @ParameterizedTest(name = "{0} gzip={1}")
  @CsvSource({"GRPC, false", "GRPC, true", "HTTP_PROTOBUF, false", "HTTP_PROTOBUF, true"})
  void export_javaSdk_everythingArrivesExactly(Transport transport, boolean gzip) {
    int port = transport == Transport.GRPC ? receiver.grpcPort() : receiver.httpPort();
    JavaSdkExporters exporters = JavaSdkExporters.plain(transport, "http://127.0.0.1:" + port, gzip);
    String label = transport + (gzip ? "+gzip" : "");

    JavaSdkScenario.sendAndVerifyAll(exporters, sink, label);

    assertThat(sink.itemCount(Signal.TRACES)).isGreaterThanOrEqualTo(2);
    assertThat(ReceiverCounts.rejected(receiver, Signal.METRICS)).isZero();
  }
}
