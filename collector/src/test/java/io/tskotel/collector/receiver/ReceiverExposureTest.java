package io.tskotel.collector.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Security defaults of the OTLP receivers, as the upstream Collector has them since v0.104: loopback unless
 * exposed on purpose, and one warning at start when exposed without a token.
 */
class ReceiverExposureTest {
  private static final String WARNING = "listen beyond loopback";

  /** Starts and stops a receiver, returning what it logged (slf4j-simple writes to System.err). */
  private static String startAndStop(OtlpReceiverConfig config, Consumer<OtlpReceiver> whileRunning) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (OtlpReceiver receiver = OtlpReceiver.create(config, new RecordingSink())) {
      receiver.start();
      whileRunning.accept(receiver);
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static boolean connects(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An address of this machine that is not loopback, when it has one. */
  private static Optional<InetAddress> externalAddress() throws IOException {
    return NetworkInterface.networkInterfaces()
        .filter(i -> {
          try {
            return i.isUp() && !i.isLoopback();
          } catch (IOException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
        .findFirst();
  }

  @Test
  void defaultHost_isLoopbackOnlyAndNothingIsWarned() throws IOException {
    assertThat(OtlpReceiver.isLoopback(OtlpReceiverConfig.DEFAULT_HOST)).isTrue();
    Optional<InetAddress> external = externalAddress();
    String log = startAndStop(OtlpReceiverConfig.builder().grpcPort(0).httpPort(0).build(), r -> {
      assertThat(connects(InetAddress.getLoopbackAddress(), r.httpPort())).isTrue();
      external.ifPresent(a -> assertThat(connects(a, r.httpPort())).as("reachable from %s", a).isFalse());
      external.ifPresent(a -> assertThat(connects(a, r.grpcPort())).as("reachable from %s", a).isFalse());
    });
    assertThat(log).doesNotContain(WARNING);
  }

  @Test
  void exposedWithoutToken_warnsOnceAtStart() throws IOException {
    Optional<InetAddress> external = externalAddress();
    String log = startAndStop(OtlpReceiverConfig.builder().host("0.0.0.0").grpcPort(0).httpPort(0).build(),
        r -> external.ifPresent(a -> assertThat(connects(a, r.httpPort())).isTrue()));
    assertThat(log.split(WARNING, -1)).as(log).hasSize(2);
    assertThat(log).contains("auth_token");
  }

  @Test
  void exposedWithToken_isNotWarned() {
    String log = startAndStop(OtlpReceiverConfig.builder().host("0.0.0.0").grpcPort(0).httpPort(0)
        .authToken("a-client-token").build(), r -> {});
    assertThat(log).doesNotContain(WARNING).doesNotContain("a-client-token");
  }

  @Test
  void isLoopback_namesAndAddresses() {
    assertThat(OtlpReceiver.isLoopback("127.0.0.1")).isTrue();
    assertThat(OtlpReceiver.isLoopback("::1")).isTrue();
    assertThat(OtlpReceiver.isLoopback("0.0.0.0")).isFalse();
  }
}
