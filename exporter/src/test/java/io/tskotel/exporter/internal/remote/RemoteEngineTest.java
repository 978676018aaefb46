package io.tskotel.exporter.internal.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.ServerException;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RemoteEngineTest {
  /** A loopback port nothing listens on: bound, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static StoreConfig config(List<URI> endpoints) {
    return StoreConfig.builder()
        .engine(StoreConfig.EngineKind.REMOTE)
        .endpoints(endpoints)
        .passwordEnv("TSKOTEL_TEST_PASSWORD")
        .connectTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(2))
        .build();
  }

  @Test
  void query_connectionRefused_isRetryable() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + closedPort());
    try (RemoteEngine e = RemoteEngine.open(config(List.of(uri)), name -> "secret")) {
      assertThatThrownBy(() -> e.query("SELECT 1", Map.of()))
          .isInstanceOfSatisfying(StoreException.class, se -> {
            assertThat(se.retryable()).isTrue();
            assertThat(se.getMessage()).contains(uri.toString()).doesNotContain("secret");
          });
    }
  }

  @Test
  void insert_everyEndpointRefused_isRetryable() throws Exception {
    List<URI> uris = List.of(URI.create("http://127.0.0.1:" + closedPort()),
        URI.create("http://127.0.0.1:" + closedPort()));
    try (RemoteEngine e = RemoteEngine.open(config(uris), name -> "secret")) {
      byte[] row = {1, 2, 3};
      assertThatThrownBy(() -> e.insertRowBinary("INSERT INTO `otel`.`t` (`a`, `b`)", row, 3, 1))
          .isInstanceOfSatisfying(StoreException.class, se -> assertThat(se.retryable()).isTrue());
      assertThatThrownBy(() -> e.execute("SELECT 1", Map.of()))
          .isInstanceOfSatisfying(StoreException.class, se -> assertThat(se.retryable()).isTrue());
    }
  }

  @Test
  void open_missingPasswordVariable_isNamed() {
    assertThatThrownBy(() -> RemoteEngine.open(config(List.of(URI.create("http://127.0.0.1:1"))), name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("passwordEnv: TSKOTEL_TEST_PASSWORD (expected: an environment variable that is set)");
  }

  @Test
  void open_invalidConfig_listsErrors() {
    StoreConfig bad = StoreConfig.builder().engine(StoreConfig.EngineKind.REMOTE).build();
    assertThatThrownBy(() -> RemoteEngine.open(bad, n -> ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoints: []");
  }

  @Test
  void closed_engineRefusesPermanently() throws Exception {
    RemoteEngine e = RemoteEngine.open(config(List.of(URI.create("http://127.0.0.1:" + closedPort()))), n -> "");
    e.close();
    e.close();
    assertThatThrownBy(() -> e.query("SELECT 1", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, se -> assertThat(se.retryable()).isFalse());
  }

  @Test
  void splitPrefix_tableAndColumns() {
    assertThat(RemoteEngine.splitPrefix("INSERT INTO `otel`.`otel_traces` (`Timestamp`, `Events.Name`)"))
        .containsExactly("`otel`.`otel_traces`", "`Timestamp`, `Events.Name`");
  }

  @Test
  void classify_serverErrors() {
    assertThat(RemoteErrors.classify("q", new ServerException(252, "Too many parts", 500, "id")).retryable()).isTrue();
    assertThat(RemoteErrors.classify("q", new ServerException(241, "Memory limit", 500, "id")).retryable()).isTrue();
    assertThat(RemoteErrors.classify("q", new ServerException(62, "Syntax error\nat line 2", 400, "id")))
        .satisfies(se -> {
          assertThat(se.retryable()).isFalse();
          assertThat(se.getMessage()).isEqualTo("q: ClickHouse error 62: Syntax error");
        });
    assertThat(RemoteErrors.classify("q", new ServerException(60, "Unknown table", 404, "id")).retryable()).isFalse();
    assertThat(RemoteErrors.classify("q", new ServerException(516, "Authentication failed", 403, "id")).retryable())
        .isFalse();
    assertThat(RemoteErrors.classify("q", new ServerException(0, "Service Unavailable", 503, "id")).retryable()).isTrue();
  }

  @Test
  void classify_networkAndWrapped() {
    StoreException se = RemoteErrors.classify("q",
        new ExecutionException(new RuntimeException("wrap", new ConnectException("Connection refused"))));
    assertThat(se.retryable()).isTrue();
    assertThat(RemoteErrors.isUnreachable(se)).isTrue();
    assertThat(RemoteErrors.classify("q", new IllegalStateException("bug")).retryable()).isFalse();
  }
}
