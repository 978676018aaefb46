package io.tskotel.exporter.internal.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.encode.EncodeStats;
import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.encode.SpanEncoder;
import io.tskotel.exporter.internal.remote.LoopbackHttpServer.Request;
import io.tskotel.exporter.internal.remote.LoopbackHttpServer.Response;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.testing.OtlpFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the remote engine puts on the wire through the real client-v2, and how it reads answers and
 * failures, against a loopback HTTP server in ClickHouse's place.
 */
class RemoteEngineWireTest {
  private static final String PASSWORD_ENV = "TSKOTEL_CH_PASSWORD";
  private static final String PASSWORD = "s3cret-pw";
  /** ClickHouse's compressed-block method byte for LZ4. */
  private static final int LZ4_METHOD = 0x82;

  private static StoreConfig config(List<URI> endpoints, Consumer<StoreConfig.Builder> customize) {
    StoreConfig.Builder b = StoreConfig.builder()
        .engine(StoreConfig.EngineKind.REMOTE)
        .endpoints(endpoints)
        .database("otel")
        .user("tskotel")
        .passwordEnv(PASSWORD_ENV)
        .migrateOnStart(false)
        .connectTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(2));
    customize.accept(b);
    return b.build();
  }

  private static RemoteEngine open(StoreConfig config) {
    return RemoteEngine.open(config, Map.of(PASSWORD_ENV, PASSWORD)::get);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The store's own RowBinary for {@code batch}: what the embedded engine is given for the same spans. */
  private static byte[] encodedSpans(List<io.opentelemetry.proto.trace.v1.ResourceSpans> batch) throws StoreException {
    RowBinaryWriter w = new RowBinaryWriter();
    new SpanEncoder(new EncodeStats()).encode(batch, new RowSink() {
      @Override
      public RowBinaryWriter writer() {
        return w;
      }

      @Override
      public void endRow() {}
    });
    return w.toByteArray();
  }

  /**
   * Reads ClickHouse's native compression framing: blocks of a 16-byte checksum, the method byte, the
   * compressed size (with the 9-byte header) and the raw size, then the LZ4 block.
   */
  private static byte[] decompressNativeLz4(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (in.hasRemaining()) {
      in.position(in.position() + 16);
      assertThat(in.get() & 0xFF).as("compression method").isEqualTo(LZ4_METHOD);
      int compressed = in.getInt() - 9;
      int raw = in.getInt();
      byte[] block = new byte[raw];
      int n = LZ4Factory.fastestJavaInstance().safeDecompressor()
          .decompress(body, in.position(), compressed, block, 0, raw);
      assertThat(n).isEqualTo(raw);
      out.writeBytes(block);
      in.position(in.position() + compressed);
    }
    return out.toByteArray();
  }

  @Test
  void writeTraces_sendsTheEncodersRowBinaryLz4CompressedWithCredentialsFromTheEnvironment() throws Exception {
    try (LoopbackHttpServer server = new LoopbackHttpServer()) {
      StoreConfig config = config(List.of(server.uri()), b -> {});
      var batch = List.of(OtlpFixtures.sampleTraces());
      try (ClickHouseStore store = ClickHouseStore.create(config, open(config))) {
        store.writeTraces(batch);
      }

      assertThat(server.requests()).hasSize(1);
      Request insert = server.requests().get(0);
      String sql = insert.param("query");
      assertThat(sql).startsWith("INSERT INTO `otel`.`otel_traces` (").endsWith(") FORMAT RowBinary");
      List<String> columns = Arrays.stream(sql.substring(sql.indexOf('(') + 1, sql.lastIndexOf(')')).split(","))
          .map(String::strip).toList();
      assertThat(columns).isEqualTo(SpanEncoder.COLUMNS.stream().map(c -> "`" + c + "`").toList());
      // The body is the store's RowBinary, LZ4-compressed in ClickHouse's framing: no VALUES text.
      assertThat(insert.param("decompress")).isEqualTo("1");
      assertThat(decompressNativeLz4(insert.body())).isEqualTo(encodedSpans(batch));
      assertThat(insert.header("Authorization")).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString(("tskotel:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
      assertThat(insert.header("X-ClickHouse-Database")).isEqualTo("otel");
      assertThat(insert.params().values()).noneMatch(v -> v.contains(PASSWORD));
    }
  }

  @Test
  void insertWithoutCompression_sendsTheRowBinaryAsItIs() throws Exception {
    try (LoopbackHttpServer server = new LoopbackHttpServer();
        RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
      byte[] rows = {1, 2, 3, 4, 5, 6, 7, 8};
      engine.insertRowBinary("INSERT INTO `otel`.`t` (`a`, `Nested.b`)", rows, 5, 1);

      Request insert = server.requests().get(0);
      assertThat(insert.param("query")).matches("INSERT INTO `otel`.`t` \\(`a`, `Nested.b`\\s*\\) FORMAT RowBinary");
      assertThat(insert.params()).doesNotContainKey("decompress");
      assertThat(insert.body()).containsExactly(1, 2, 3, 4, 5);
    }
  }

  @Test
  void query_bindsParametersAndDecodesTheRowBinaryAnswer() throws Exception {
    RowBinaryWriter answer = new RowBinaryWriter()
        .writeVarUInt(2).writeString("name").writeString("n")
        .writeString("String").writeString("UInt64")
        .writeString("a'b").writeUInt64(7);
    try (LoopbackHttpServer server = new LoopbackHttpServer().answer(r -> Response.ok(answer.toByteArray()));
        RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
      QueryResult r = engine.query("SELECT {s:String} AS name, {n:UInt64} AS n", Map.of("s", "a'b\tc", "n", "7"));

      assertThat(r.columnNames()).containsExactly("name", "n");
      assertThat(r.rows()).containsExactly(List.of("a'b", 7L));
      Request request = server.requests().get(0);
      assertThat(request.param("param_s")).isEqualTo("a'b\tc");
      assertThat(request.param("param_n")).isEqualTo("7");
      assertThat(new String(request.body(), StandardCharsets.UTF_8))
          .isEqualTo("SELECT {s:String} AS name, {n:UInt64} AS n");
      assertThat(request.header("X-ClickHouse-Format")).isEqualTo("RowBinaryWithNamesAndTypes");
    }
  }

  @Test
  void queryReadOnly_asksTheServerToHoldItToReadingWithItsLimits() throws Exception {
    byte[] empty = new RowBinaryWriter().writeVarUInt(1).writeString("x").writeString("UInt8").toByteArray();
    try (LoopbackHttpServer server = new LoopbackHttpServer().answer(r -> Response.ok(empty));
        RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
      engine.queryReadOnly("SELECT 1 AS x", Map.of(), Duration.ofSeconds(7), 500);

      Request request = server.requests().get(0);
      // readonly=1, not 2: 2 lets a statement change settings (a SETTINGS clause lifting the limits) and
      // use table functions (url, file, remote, s3).
      assertThat(request.param("readonly")).isEqualTo("1");
      assertThat(request.param("max_execution_time")).isEqualTo("7");
      assertThat(request.param("max_result_rows")).isEqualTo("500");
      assertThat(request.param("result_overflow_mode")).isEqualTo("throw");
    }
  }

  @Test
  void queryReadOnly_tableFunctionsAndSettingsClauses_areRefusedBeforeAnythingIsSent() throws Exception {
    try (LoopbackHttpServer server = new LoopbackHttpServer();
        RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
      for (String sql : List.of(
          "SELECT * FROM url('http://127.0.0.1:1/x', 'CSV', 'a String')",
          "SELECT * FROM file('/etc/passwd', 'LineAsString')",
          "SELECT * FROM remote('127.0.0.1:9000', system.one)",
          "SELECT * FROM s3('http://127.0.0.1:1/b/k', 'CSV')",
          "SELECT * FROM `url`('http://127.0.0.1:1/x', 'CSV', 'a String')",
          "SELECT count() FROM otel_logs SETTINGS max_result_rows = 0, readonly = 0",
          "SELECT 1 settings max_execution_time=0")) {
        assertThatThrownBy(() -> engine.queryReadOnly(sql, Map.of(), Duration.ofSeconds(7), 500))
            .as(sql)
            .isInstanceOfSatisfying(StoreException.class, e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage()).containsAnyOf("reaches outside the store", "SETTINGS clause");
            });
      }
      assertThat(server.requests()).as("nothing reached the server").isEmpty();
    }
  }

  @Test
  void insert_onACluster_waitsForTheShards() throws Exception {
    try (LoopbackHttpServer server = new LoopbackHttpServer();
        RemoteEngine clustered = open(config(List.of(server.uri()), b -> b.compression(false).clusterName("c1")));
        RemoteEngine single = open(config(List.of(server.uri()), b -> b.compression(false)))) {
      clustered.insertRowBinary("INSERT INTO `otel`.`t` (`a`)", new byte[] {1}, 1, 1);
      single.insertRowBinary("INSERT INTO `otel`.`t` (`a`)", new byte[] {1}, 1, 1);

      assertThat(server.requests().get(0).param("insert_distributed_sync")).isEqualTo("1");
      assertThat(server.requests().get(1).params()).doesNotContainKey("insert_distributed_sync");
    }
  }

  @Test
  void serverErrors_areClassifiedByTheirCode() throws Exception {
    Map<Integer, Boolean> retryableByCode = Map.of(
        252, true, // TOO_MANY_PARTS
        241, true, // MEMORY_LIMIT_EXCEEDED
        62, false, // SYNTAX_ERROR
        60, false, // UNKNOWN_TABLE
        164, false, // READONLY: a read-only query that tries to write never succeeds
        516, false); // AUTHENTICATION_FAILED
    for (Map.Entry<Integer, Boolean> e : retryableByCode.entrySet()) {
      int code = e.getKey();
      try (LoopbackHttpServer server = new LoopbackHttpServer()
              .answer(r -> Response.error(code == 516 ? 403 : 500, code, "error " + code));
          RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
        assertThatThrownBy(() -> engine.execute("SELECT 1", Map.of()))
            .as("code %d", code)
            .isInstanceOfSatisfying(StoreException.class, se -> {
              assertThat(se.retryable()).isEqualTo(e.getValue());
              assertThat(se.getMessage()).contains("ClickHouse error " + code);
            });
      }
    }
  }

  @Test
  void serverErrors_sayWhatTheyMeanForTheData() throws Exception {
    // code -> fault and the probes' words: only data the server cannot read is the data's fault.
    Map<Integer, String> expected = Map.of(
        516, "STORE authentication failed",
        60, "STORE table missing",
        81, "STORE database missing",
        164, "STORE server is read-only",
        243, "STORE server disk full",
        252, "STORE too many parts",
        27, "DATA data refused by the store",
        62, "STORE unexpected store error 62");
    for (Map.Entry<Integer, String> e : expected.entrySet()) {
      int code = e.getKey();
      try (LoopbackHttpServer server = new LoopbackHttpServer()
              .answer(r -> Response.error(code == 516 ? 403 : 500, code, "error " + code));
          RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
        assertThatThrownBy(() -> engine.execute("SELECT 1", Map.of()))
            .as("code %d", code)
            .isInstanceOfSatisfying(StoreException.class,
                se -> assertThat(se.fault() + " " + se.reason()).isEqualTo(e.getValue()));
      }
    }
  }

  @Test
  void serviceUnavailable_isRetryable() throws Exception {
    try (LoopbackHttpServer server = new LoopbackHttpServer().answer(r -> new Response(503, Map.of(), new byte[0]));
        RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
      assertThatThrownBy(() -> engine.execute("SELECT 1", Map.of()))
          .isInstanceOfSatisfying(StoreException.class, se -> assertThat(se.retryable()).isTrue());
    }
  }

  @Test
  void severalEndpoints_shareTheLoadAndAnUnreachableOneIsSkipped() throws Exception {
    try (LoopbackHttpServer a = new LoopbackHttpServer(); LoopbackHttpServer b = new LoopbackHttpServer()) {
      URI down = URI.create("http://127.0.0.1:" + closedPort());
      try (RemoteEngine engine = open(config(List.of(a.uri(), down, b.uri()), c -> c.compression(false)))) {
        for (int i = 0; i < 6; i++) {
          engine.execute("SELECT " + i, Map.of());
        }
      }
      // Six calls start at a, down, b, a, down, b; the two that start at the unreachable one go on to b.
      assertThat(a.requests()).hasSize(2);
      assertThat(b.requests()).hasSize(4);
    }
  }

  @Test
  void readTimeout_isRetryableButNotSentToAnotherEndpoint() throws Exception {
    try (LoopbackHttpServer slow = new LoopbackHttpServer(); LoopbackHttpServer other = new LoopbackHttpServer()) {
      slow.answer(r -> {
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Response.ok();
      });
      StoreConfig config = config(List.of(slow.uri(), other.uri()),
          b -> b.compression(false).socketTimeout(Duration.ofMillis(300)));
      try (RemoteEngine engine = open(config)) {
        byte[] rows = {1};
        // The insert reached a server that may apply it: sending it elsewhere too could store it twice.
        assertThatThrownBy(() -> engine.insertRowBinary("INSERT INTO `otel`.`t` (`a`)", rows, 1, 1))
            .isInstanceOfSatisfying(StoreException.class, se -> assertThat(se.retryable()).isTrue());
      }
      assertThat(slow.requests()).hasSize(1);
      assertThat(other.requests()).isEmpty();
    }
  }

  /** Runs the JDK's keytool; the certificates are made fresh for each run. */
  private static void keytool(Path dir, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
  }

  @Test
  void https_trustsTheServerThroughTheConfiguredTrustStoreOnly(@TempDir Path dir) throws Exception {
    keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", "changeit");
    keytool(dir, "-exportcert", "-alias", "server", "-keystore", "server.p12", "-storepass", "changeit",
        "-file", "server.crt");
    keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-file", "server.crt",
        "-keystore", "trust.jks", "-storetype", "JKS", "-storepass", "changeit");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(dir.resolve("server.p12"))) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    byte[] answer = new RowBinaryWriter().writeVarUInt(1).writeString("x").writeString("UInt8").writeUInt8(1)
        .toByteArray();

    try (LoopbackHttpServer server = new LoopbackHttpServer(tls).answer(r -> Response.ok(answer))) {
      StoreConfig trusted = config(List.of(server.uri()),
          b -> b.compression(false).trustStore(dir.resolve("trust.jks")));
      try (RemoteEngine engine = open(trusted)) {
        assertThat(engine.query("SELECT 1 AS x", Map.of()).rows()).containsExactly(List.of(1L));
      }
      assertThat(server.requests()).hasSize(1);

      // Without the trust store the server's self-made certificate is refused: nothing is sent.
      try (RemoteEngine engine = open(config(List.of(server.uri()), b -> b.compression(false)))) {
        assertThatThrownBy(() -> engine.query("SELECT 1 AS x", Map.of()))
            .isInstanceOfSatisfying(StoreException.class, se -> assertThat(se.retryable()).isFalse());
      }
      assertThat(server.requests()).hasSize(1);
    }
  }
}
