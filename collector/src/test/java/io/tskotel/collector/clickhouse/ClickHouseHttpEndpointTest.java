package io.tskotel.collector.clickhouse;

import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.READER;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.READER_PASSWORD;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.WRITER;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.WRITER_PASSWORD;
import static io.tskotel.collector.clickhouse.ClickHouseHttpFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.data.stream.Lz4InputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The protocol as curl and the official clients speak it, and what the endpoint refuses. */
class ClickHouseHttpEndpointTest {
  static ClickHouseHttpFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = new ClickHouseHttpFixture(ClickHouseHttpEndpointTest.class);
    assertThat(f.write("CREATE TABLE items (id UInt32, name String) ENGINE = MergeTree ORDER BY id", Map.of())
        .statusCode()).isEqualTo(200);
    assertThat(f.write("INSERT INTO items VALUES (1, 'one'), (2, 'two')", Map.of()).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static void assertError(HttpResponse<byte[]> r, int status, int code) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue(Integer.toString(code));
    assertThat(text(r)).startsWith("Code: " + code + ". DB::Exception: ");
  }

  private static void assertItemsIntact() throws Exception {
    assertThat(text(f.read("SELECT count() FROM items", Map.of()))).isEqualTo("2\n");
  }

  @Test
  void ping_andReplicasStatus_answerOk() throws Exception {
    HttpResponse<String> ping = f.http.send(HttpRequest.newBuilder(URI.create(f.url() + "/ping")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("Ok.\n");
    HttpResponse<String> replicas = f.http.send(
        HttpRequest.newBuilder(URI.create(f.url() + "/replicas_status")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(replicas.statusCode()).isEqualTo(200);
  }

  @Test
  void query_headersAuth_tabSeparatedWithClickHouseHeaders() throws Exception {
    HttpResponse<byte[]> r = f.read("SELECT id, name FROM items ORDER BY id", Map.of("query_id", "q-42"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("1\tone\n2\ttwo\n");
    assertThat(r.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("q-42");
    assertThat(r.headers().firstValue("X-ClickHouse-Format")).hasValue("TabSeparated");
    assertThat(r.headers().firstValue("X-ClickHouse-Timezone")).hasValue("UTC");
    assertThat(r.headers().firstValue("X-ClickHouse-Summary")).hasValueSatisfying(s -> assertThat(s).contains("\"elapsed_ns\""));
  }

  @Test
  void query_basicAuthAndUrlCredentialsAndGet_work() throws Exception {
    String basic = Base64.getEncoder().encodeToString((READER + ":" + READER_PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = f.post(null, null, Map.of(), "SELECT 7".getBytes(), "Authorization", "Basic " + basic);
    assertThat(text(r)).isEqualTo("7\n");
    HttpResponse<String> get = f.http.send(HttpRequest.newBuilder(URI.create(f.url() + "/"
        + ClickHouseHttpFixture.query(Map.of("query", "SELECT 8", "user", READER, "password", READER_PASSWORD))))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.body()).isEqualTo("8\n");
  }

  @Test
  void query_curlStyleFormBody_isTheQuery() throws Exception {
    // curl --data sends its body as application/x-www-form-urlencoded; a server reads it as the query.
    HttpResponse<byte[]> r = f.post(READER, READER_PASSWORD, Map.of(), "SELECT 'a=b&c' AS x".getBytes(),
        "Content-Type", "application/x-www-form-urlencoded");
    assertThat(text(r)).isEqualTo("a=b&c\n");
  }

  @Test
  void auth_wrongOrMissingPassword_rejectedWithoutEcho() throws Exception {
    HttpResponse<byte[]> wrong = f.post(READER, "guess-123", Map.of(), "SELECT 1".getBytes());
    assertError(wrong, 403, 516);
    assertThat(text(wrong)).doesNotContain("guess-123").doesNotContain(READER_PASSWORD);
    assertError(f.post(WRITER, READER_PASSWORD, Map.of(), "SELECT 1".getBytes()), 403, 516);
    assertError(f.post(null, null, Map.of(), "SELECT 1".getBytes()), 403, 516);
    String basic = Base64.getEncoder().encodeToString((READER + ":nope").getBytes(StandardCharsets.UTF_8));
    assertError(f.post(null, null, Map.of(), "SELECT 1".getBytes(), "Authorization", "Basic " + basic), 403, 516);
  }

  @Test
  void formats_clauseWinsOverDefaultFormat() throws Exception {
    HttpResponse<byte[]> json = f.read("SELECT id, name FROM items ORDER BY id FORMAT JSONEachRow",
        Map.of("default_format", "CSV"));
    assertThat(text(json)).isEqualTo("{\"id\":1,\"name\":\"one\"}\n{\"id\":2,\"name\":\"two\"}\n");
    assertThat(json.headers().firstValue("X-ClickHouse-Format")).hasValue("JSONEachRow");
    HttpResponse<byte[]> csv = f.read("SELECT id, name FROM items ORDER BY id", Map.of("default_format", "CSVWithNames"));
    assertThat(text(csv)).isEqualTo("\"id\",\"name\"\n1,\"one\"\n2,\"two\"\n");
    HttpResponse<byte[]> parquet = f.read("SELECT id FROM items FORMAT Parquet", Map.of());
    assertThat(new String(parquet.body(), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("PAR1");
  }

  @Test
  void params_boundNeverSpliced() throws Exception {
    String evil = "x'); DROP TABLE items; --";
    HttpResponse<byte[]> r = f.read("SELECT {v:String} AS v, {n:UInt32} + 1 AS n", Map.of("param_v", evil, "param_n", "41"));
    assertThat(text(r)).isEqualTo("x\\'); DROP TABLE items; --\t42\n");
    HttpResponse<byte[]> name = f.read("SELECT name FROM items WHERE name = {n:String}", Map.of("param_n", "one' OR '1'='1"));
    assertThat(text(name)).isEmpty();
    assertItemsIntact();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO items VALUES (3, 'three')",
      "ALTER TABLE items DELETE WHERE 1",
      "DROP TABLE items",
      "TRUNCATE TABLE items",
      "CREATE TABLE stolen (a String) ENGINE = Memory",
      "OPTIMIZE TABLE items FINAL"})
  void readOnly_cannotWrite(String sql) throws Exception {
    assertError(f.read(sql, Map.of()), 403, 164);
    assertItemsIntact();
  }

  @Test
  void readOnly_cannotLiftItsLimits() throws Exception {
    assertError(f.read("SELECT 1", Map.of("readonly", "0")), 403, 164);
    assertError(f.read("SELECT 1", Map.of("max_result_rows", "100000000")), 403, 164);
    assertError(f.read("SELECT 1", Map.of("max_execution_time", "0")), 403, 164);
    assertError(f.read("SELECT 1", Map.of("result_overflow_mode", "break")), 403, 164);
    assertError(f.read("SELECT 1 SETTINGS max_result_rows = 100000000", Map.of()), 403, 164);
    assertError(f.read("SELECT 1 SETTINGS readonly = 0", Map.of()), 403, 164);
    assertError(f.read("SET readonly = 0", Map.of()), 403, 497);
    // The store's row limit holds; a lower one asked for holds too.
    assertThat(f.read("SELECT number FROM system.numbers LIMIT 5000", Map.of()).statusCode()).isNotEqualTo(200);
    assertError(f.read("SELECT number FROM numbers(10)", Map.of("max_result_rows", "5")), 500, 396);
    assertThat(text(f.read("SELECT count() FROM numbers(10)", Map.of("max_result_rows", "5")))).isEqualTo("10\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM file('/etc/passwd', 'LineAsString')",
      "SELECT * FROM url('http://127.0.0.1:1/', CSV, 'a String')",
      "SELECT * FROM remote('127.0.0.1:9000', system.one)",
      "SELECT * FROM s3('http://127.0.0.1:1/b/k', CSV, 'a String')",
      "SELECT * FROM executable('id', TSV, 'a String')",
      "SELECT 1 INTO OUTFILE '/tmp/x.tsv'",
      "SELECT * FROM FiLe('/etc/hostname', 'LineAsString')"})
  void outsideTheEngine_refusedForEveryone(String sql) throws Exception {
    assertError(f.read(sql, Map.of()), 403, 497);
    assertError(f.write(sql, Map.of()), 403, 497);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1; DROP TABLE items",
      "SELECT 1;\n\nDROP TABLE items",
      "SELECT ';'; DROP TABLE items",
      "SELECT 1 /* c */ ; DROP TABLE items -- x",
      "INSERT INTO items FORMAT TSV\n9\tnine\n\nDROP TABLE items",
      "INSERT INTO items FORMAT TabSeparated\n9\tnine\n \n\nDROP TABLE items",
      "INSERT INTO items FORMAT Values (9, 'nine');\nDROP TABLE items",
      "INSERT INTO items VALUES (9, ';'); SELECT 1"})
  void multiStatement_rejectedBeforeTheEngine(String sql) throws Exception {
    HttpResponse<byte[]> r = f.write(sql, Map.of());
    assertThat(r.statusCode()).as(text(r)).isIn(400);
    assertThat(text(r)).contains("Multi-statements are not allowed");
    assertItemsIntact();
  }

  @Test
  void multiStatement_queryParamPlusBody_rejected() throws Exception {
    HttpResponse<byte[]> r = f.post(WRITER, WRITER_PASSWORD, Map.of("query", "SELECT 1"), "; DROP TABLE items".getBytes());
    assertError(r, 400, 62);
    assertError(f.write("USE system", Map.of()), 403, 497);
    assertError(f.write("CREATE TEMPORARY TABLE tmp (a UInt8)", Map.of()), 403, 497);
    assertItemsIntact();
  }

  @Test
  void insert_queryParamAndBody_streamsThroughTheEngine() throws Exception {
    f.write("CREATE TABLE ins (id UInt32, name String) ENGINE = MergeTree ORDER BY id", Map.of());
    HttpResponse<byte[]> r = f.post(WRITER, WRITER_PASSWORD, Map.of("query", "INSERT INTO ins FORMAT TabSeparated"),
        "1\ta\n2\tb\n".getBytes());
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(r.headers().firstValue("X-ClickHouse-Summary")).hasValueSatisfying(s -> assertThat(s).contains("\"written_rows\":\"2\""));
    // Whole-body INSERT with inline data, gzip-compressed request.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("INSERT INTO ins (id, name) FORMAT JSONEachRow {\"id\":3,\"name\":\"c\"}\n".getBytes());
    }
    assertThat(f.post(WRITER, WRITER_PASSWORD, Map.of(), gz.toByteArray(), "Content-Encoding", "gzip").statusCode())
        .isEqualTo(200);
    assertThat(text(f.read("SELECT id, name FROM ins ORDER BY id", Map.of()))).isEqualTo("1\ta\n2\tb\n3\tc\n");
    // The read-only user cannot, nor can a GET.
    assertError(f.post(READER, READER_PASSWORD, Map.of("query", "INSERT INTO ins FORMAT TSV"), "4\td\n".getBytes()), 403, 164);
    HttpResponse<byte[]> get = f.http.send(HttpRequest.newBuilder(URI.create(f.url() + "/" + ClickHouseHttpFixture.query(
        Map.of("query", "INSERT INTO ins VALUES (5, 'e')", "user", WRITER, "password", WRITER_PASSWORD)))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertError(get, 403, 164);
    assertThat(text(f.read("SELECT count() FROM ins", Map.of()))).isEqualTo("3\n");
    // VALUES data is literals only: no function call inside it reaches the engine's evaluator.
    HttpResponse<byte[]> expression = f.write("INSERT INTO ins VALUES (10, file('/etc/hostname'))", Map.of());
    assertThat(expression.statusCode()).as(text(expression)).isNotEqualTo(200);
    HttpResponse<byte[]> call = f.write("INSERT INTO ins VALUES (11, concat('a', 'b'))", Map.of());
    assertThat(call.statusCode()).as(text(call)).isNotEqualTo(200);
    assertThat(text(f.read("SELECT count() FROM ins", Map.of()))).isEqualTo("3\n");
  }

  @Test
  void compression_gzipWhenEnabled_lz4WhenCompressIsOne() throws Exception {
    HttpResponse<byte[]> gz = f.post(READER, READER_PASSWORD, Map.of("enable_http_compression", "1"),
        "SELECT name FROM items ORDER BY id".getBytes(), "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes())).isEqualTo("one\ntwo\n");
    HttpResponse<byte[]> plain = f.post(READER, READER_PASSWORD, Map.of(), "SELECT 1".getBytes(), "Accept-Encoding", "gzip");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    HttpResponse<byte[]> lz4 = f.post(READER, READER_PASSWORD, Map.of("compress", "1"), "SELECT name FROM items ORDER BY id".getBytes());
    assertThat(new String(new Lz4InputStream(new ByteArrayInputStream(lz4.body())).readAllBytes())).isEqualTo("one\ntwo\n");
  }

  @Test
  void errors_engineErrorsPassedOnWithServerStatus() throws Exception {
    assertError(f.read("SELECT FROM WHERE", Map.of()), 400, 62);
    assertError(f.read("SELECT * FROM no_such_table", Map.of()), 404, 60);
    assertError(f.read("SELECT 1", Map.of("database", "no_such_db")), 404, 81);
    assertError(f.read("SELECT 1", Map.of("no_such_setting", "1")), 403, 164);
  }
}
