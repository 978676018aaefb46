package io.tskotel.collector.clickhouse;

import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.READER;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.READER_PASSWORD;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.WRITER;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.WRITER_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Java clients, client-v2 and clickhouse-jdbc 0.10.0, against the endpoint as against a server. */
class ClickHouseHttpJavaClientsTest {
  static ClickHouseHttpFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new ClickHouseHttpFixture(ClickHouseHttpJavaClientsTest.class);
    f.write("CREATE TABLE kv (k UInt32, v String, at DateTime64(3)) ENGINE = MergeTree ORDER BY k", Map.of());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static Client client(String user, String password, boolean lz4) {
    return new Client.Builder()
        .addEndpoint(f.url())
        .setUsername(user)
        .setPassword(password)
        .setDefaultDatabase(f.database)
        .compressClientRequest(lz4)
        .compressServerResponse(lz4)
        .setMaxRetries(0)
        .build();
  }

  @Test
  void clientV2_insertsAndQueriesWithParamsInSeveralFormats_lz4() throws Exception {
    try (Client writer = client(WRITER, WRITER_PASSWORD, true); Client reader = client(READER, READER_PASSWORD, true)) {
      byte[] tsv = "1\tone\t2024-01-01 00:00:00.000\n2\ttwo\t2024-01-02 00:00:00.000\n3\tthree\t2024-01-03 00:00:00.000\n"
          .getBytes(StandardCharsets.UTF_8);
      writer.insert("kv", new ByteArrayInputStream(tsv), ClickHouseFormat.TSV).get(30, TimeUnit.SECONDS).close();

      List<String> values = new ArrayList<>();
      try (QueryResponse r = reader.query("SELECT k, v FROM kv WHERE k >= {min:UInt32} ORDER BY k",
          Map.of("min", 2), new QuerySettings()).get(30, TimeUnit.SECONDS)) {
        ClickHouseBinaryFormatReader rows = reader.newBinaryFormatReader(r);
        while (rows.next() != null) {
          values.add(rows.getLong("k") + "=" + rows.getString("v"));
        }
      }
      assertThat(values).containsExactly("2=two", "3=three");

      try (QueryResponse r = reader.query("SELECT k, v FROM kv ORDER BY k LIMIT 1",
          new QuerySettings().setFormat(ClickHouseFormat.JSONEachRow)).get(30, TimeUnit.SECONDS)) {
        assertThat(new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("{\"k\":1,\"v\":\"one\"}\n");
      }
      try (QueryResponse r = reader.query("SELECT count() FROM kv", new QuerySettings().setFormat(ClickHouseFormat.CSV))
          .get(30, TimeUnit.SECONDS)) {
        assertThat(new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("3\n");
      }
      assertThat(reader.queryAll("SELECT v FROM kv WHERE k = 3").get(0).getString("v")).isEqualTo("three");
    }
  }

  @Test
  void clientV2_uncompressed_andServerErrorsCarryTheirCode() throws Exception {
    try (Client reader = client(READER, READER_PASSWORD, false)) {
      assertThat(reader.queryAll("SELECT 40 + 2 AS x").get(0).getLong("x")).isEqualTo(42L);
      assertThatThrownBy(() -> reader.queryAll("DROP TABLE kv"))
          .satisfies(e -> assertThat(serverCode(e)).isEqualTo(164));
    }
    try (Client wrong = client(READER, "wrong", false)) {
      assertThatThrownBy(() -> wrong.queryAll("SELECT 1"))
          .satisfies(e -> assertThat(serverCode(e)).isEqualTo(516));
    }
  }

  /** The server's error code, from the ServerException client-v2 raises or wraps. */
  static int serverCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerException se) {
        return se.getCode();
      }
    }
    throw new AssertionError("no ServerException in " + e, e);
  }

  static Connection jdbc(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection("jdbc:clickhouse://127.0.0.1:" + f.server.port() + "/" + f.database, p);
  }

  @Test
  void jdbc_preparedInsertAndQuery() throws Exception {
    try (Connection w = jdbc(WRITER, WRITER_PASSWORD)) {
      try (Statement s = w.createStatement()) {
        s.execute("CREATE TABLE jt (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
      }
      try (PreparedStatement ps = w.prepareStatement("INSERT INTO jt (id, name) VALUES (?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          ps.setInt(1, i);
          ps.setString(2, "it's " + i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    try (Connection r = jdbc(READER, READER_PASSWORD)) {
      try (PreparedStatement ps = r.prepareStatement("SELECT id, name FROM jt WHERE id > ? ORDER BY id")) {
        ps.setInt(1, 1);
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(rs.getInt("id") + ":" + rs.getString("name"));
          }
        }
        assertThat(rows).containsExactly("2:it's 2", "3:it's 3");
      }
      try (Statement s = r.createStatement(); ResultSet rs = s.executeQuery("SELECT count() FROM jt")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(3);
      }
      try (Statement s = r.createStatement()) {
        assertThatThrownBy(() -> s.execute("INSERT INTO jt VALUES (9, 'x')")).isInstanceOf(SQLException.class);
      }
    }
    assertThatThrownBy(() -> {
      try (Connection bad = jdbc(READER, "nope"); Statement s = bad.createStatement()) {
        s.executeQuery("SELECT 1");
      }
    }).isInstanceOf(SQLException.class);
  }
}
