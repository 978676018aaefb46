package io.tskotel.collector.clickhouse;

import io.tskotel.collector.clickhouse.internal.ClickHouseHttpServer;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** An endpoint on a fresh store of the shared test engine, with a read-only user and a writer. */
final class ClickHouseHttpFixture implements AutoCloseable {
  static final String READER = "reader";
  static final String READER_PASSWORD = "r-secret-1";
  static final String WRITER = "writer";
  static final String WRITER_PASSWORD = "w-secret-2";
  static final long MAX_ROWS = 1000;

  final ClickHouseStore store;
  final String database;
  final ClickHouseHttpServer server;
  final HttpClient http = HttpClient.newHttpClient();

  ClickHouseHttpFixture(Class<?> owner) throws Exception {
    store = TestStores.newStore(owner, b -> b.maxResultRows(MAX_ROWS).queryTimeout(Duration.ofSeconds(20)));
    database = store.config().database();
    server = new ClickHouseHttpServer("127.0.0.1", 0, store.engine(), READER, READER_PASSWORD, WRITER,
        WRITER_PASSWORD, database, store.config().queryTimeout(), store.config().maxResultRows());
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.port();
  }

  static String query(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> sb.append(sb.isEmpty() ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return sb.toString();
  }

  HttpResponse<byte[]> post(String user, String password, Map<String, String> params, byte[] body,
      String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/" + query(params)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      b.header("X-ClickHouse-User", user).header("X-ClickHouse-Key", password);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> read(String sql, Map<String, String> params) throws IOException, InterruptedException {
    return post(READER, READER_PASSWORD, params, sql.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> write(String sql, Map<String, String> params) throws IOException, InterruptedException {
    return post(WRITER, WRITER_PASSWORD, params, sql.getBytes(StandardCharsets.UTF_8));
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
    store.close();
  }
}
