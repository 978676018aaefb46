package io.tskotel.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class OtlpReceiverLifecycleTest {
  private static OtlpReceiverConfig loopback() {
    return OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).build();
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void startAndShutdown_twice_harmless() {
    OtlpReceiver receiver = OtlpReceiver.create(loopback(), new RecordingSink());

    receiver.start();
    receiver.start();
    int grpc = receiver.grpcPort();
    int http = receiver.httpPort();
    assertThat(grpc).isPositive().isNotEqualTo(http);
    assertThat(listening(grpc)).isTrue();
    assertThat(listening(http)).isTrue();
    receiver.shutdown();
    receiver.shutdown();

    assertThat(listening(grpc)).isFalse();
    assertThat(listening(http)).isFalse();
    assertThatThrownBy(receiver::grpcPort).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(receiver::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shutdown_beforeStart_harmless() {
    OtlpReceiver receiver = OtlpReceiver.create(loopback(), new RecordingSink());

    receiver.shutdown();

    assertThatThrownBy(receiver::httpPort).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void start_portTaken_failsNamingTheAddressAndReleasesTheOther() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      OtlpReceiver receiver =
          OtlpReceiver.create(loopback().toBuilder().httpPort(taken.getLocalPort()).build(), new RecordingSink());

      assertThatThrownBy(receiver::start)
          .hasMessageContaining("OTLP/HTTP")
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
      assertThatThrownBy(receiver::grpcPort).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void disabledListener_hasNoPort() {
    try (OtlpReceiver receiver =
        OtlpReceiver.create(loopback().toBuilder().grpcEnabled(false).build(), new RecordingSink())) {
      receiver.start();

      assertThat(receiver.httpPort()).isPositive();
      assertThatThrownBy(receiver::grpcPort).isInstanceOf(IllegalStateException.class);
    }
  }
}
