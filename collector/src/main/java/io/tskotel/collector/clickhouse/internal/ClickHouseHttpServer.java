package io.tskotel.collector.clickhouse.internal;

import static java.util.Objects.requireNonNull;

import com.clickhouse.data.stream.Lz4InputStream;
import com.clickhouse.data.stream.Lz4OutputStream;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * ClickHouse's HTTP interface over the embedded engine, as the official clients use it: {@code GET/POST /}
 * with the query in the {@code query} parameter and/or the body, settings and {@code param_*} values as
 * URL parameters, the FORMAT clause or {@code default_format}, {@code X-ClickHouse-*} headers, errors as
 * a server words them, LZ4 ({@code compress}/{@code decompress}) and gzip/deflate compression,
 * {@code /ping} and {@code /replicas_status}. Every request runs one checked statement ({@link Statement})
 * on its own pooled engine connection with the settings of its user ({@link RequestSettings}).
 */
public final class ClickHouseHttpServer {
  private static final ThrottledLog AUTH_LOG =
      new ThrottledLog(LoggerFactory.getLogger(ClickHouseHttpServer.class), Duration.ofSeconds(10));
  private static final ThrottledLog LOG =
      new ThrottledLog(LoggerFactory.getLogger(ClickHouseHttpServer.class), Duration.ofSeconds(10));
  /** ClickHouse's default max_query_size: the statement text (without an INSERT's data) may not be longer. */
  static final int MAX_QUERY_BYTES = 256 * 1024;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");
  private static final Pattern QUERY_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final String DEFAULT_FORMAT = "TabSeparated";

  private final String host;
  private final int requestedPort;
  private final SqlEngine engine;
  private final Users users;
  private final String defaultDatabase;
  private final Duration maxExecutionTime;
  private final long maxResultRows;
  private final Javalin app;
  private volatile @Nullable ServerConnector connector;

  public ClickHouseHttpServer(String host, int port, SqlEngine engine, String readOnlyUser, String readOnlyPassword,
      @Nullable String writerUser, @Nullable String writerPassword, String defaultDatabase,
      Duration maxExecutionTime, long maxResultRows) {
    this.host = requireNonNull(host, "host");
    this.requestedPort = port;
    this.engine = requireNonNull(engine, "engine");
    this.users = new Users(readOnlyUser, readOnlyPassword, writerUser, writerPassword);
    this.defaultDatabase = requireNonNull(defaultDatabase, "defaultDatabase");
    this.maxExecutionTime = requireNonNull(maxExecutionTime, "maxExecutionTime");
    this.maxResultRows = maxResultRows;
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      // Compression is what the client negotiates with ClickHouse's own parameters, done below.
      config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
      config.jetty.addConnector((server, httpConfig) -> {
        ServerConnector c = new ServerConnector(server);
        c.setHost(host);
        c.setPort(requestedPort);
        connector = c;
        return c;
      });
      config.routes.get("/ping", ctx -> ctx.contentType("text/plain; charset=UTF-8").result("Ok.\n"));
      config.routes.head("/ping", ctx -> ctx.contentType("text/plain; charset=UTF-8"));
      config.routes.get("/replicas_status", ctx -> ctx.contentType("text/plain; charset=UTF-8").result("Ok.\n"));
      config.routes.get("/", this::handle);
      config.routes.post("/", this::handle);
    });
  }

  public void start() {
    app.start();
  }

  public void stop() {
    app.stop();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    ServerConnector c = connector;
    if (c == null || c.getLocalPort() <= 0) {
      throw new IllegalStateException("not started");
    }
    return c.getLocalPort();
  }

  private void handle(Context ctx) {
    long started = System.nanoTime();
    String queryId = ctx.header("X-ClickHouse-Query-Id");
    if (queryId == null) {
      queryId = ctx.queryParam("query_id");
    }
    if (queryId == null || !QUERY_ID.matcher(queryId).matches()) {
      queryId = UUID.randomUUID().toString();
    }
    ctx.header("X-ClickHouse-Query-Id", queryId);
    ctx.header("X-ClickHouse-Server-Display-Name", ServerInfo.DISPLAY_NAME);
    ctx.header("X-ClickHouse-Timezone", "UTC");
    try {
      Users.Role role = authenticate(ctx);
      respond(ctx, role, started);
    } catch (ClickHouseException e) {
      error(ctx, e);
    } catch (StoreException e) {
      if (e.retryable()) {
        LOG.warn("ClickHouse HTTP: a statement failed and may succeed later", e);
      }
      error(ctx, ClickHouseException.fromEngine(e));
    } catch (IOException | RuntimeException e) {
      LOG.warnWithStackTrace("ClickHouse HTTP: request failed", e);
      // The exception text stays in the log: it may say more than a caller should learn.
      error(ctx, new ClickHouseException(ClickHouseException.UNKNOWN_EXCEPTION,
          "the request failed (" + e.getClass().getSimpleName() + "); see the collector log"));
    }
  }

  private Users.Role authenticate(Context ctx) throws ClickHouseException {
    String user = ctx.header("X-ClickHouse-User");
    String password = ctx.header("X-ClickHouse-Key");
    String authorization = ctx.header("Authorization");
    if (user == null && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        user = colon < 0 ? pair : pair.substring(0, colon);
        password = colon < 0 ? "" : pair.substring(colon + 1);
      } catch (IllegalArgumentException e) {
        throw new ClickHouseException(ClickHouseException.AUTHENTICATION_FAILED, "Authentication failed: malformed basic credentials");
      }
    }
    if (user == null) {
      user = ctx.queryParam("user");
      password = ctx.queryParam("password");
    }
    Users.Role role = users.authenticate(user == null ? "default" : user, password == null ? "" : password);
    if (role == null) {
      AUTH_LOG.warn("ClickHouse HTTP: authentication failed", new SecurityException("from " + ctx.ip()));
      // The name the caller sent is not echoed: nothing about users goes to an unauthenticated caller.
      throw new ClickHouseException(ClickHouseException.AUTHENTICATION_FAILED,
          "Authentication failed: password is incorrect, or there is no user with such name");
    }
    return role;
  }

  private void respond(Context ctx, Users.Role role, long started)
      throws ClickHouseException, StoreException, IOException {
    boolean get = ctx.method().name().equals("GET");
    Map<String, List<String>> query = ctx.queryParamMap();
    // As on a server, the header wins over the parameter (client-v2 sends the header).
    String database = ctx.header("X-ClickHouse-Database");
    if (database == null || database.isEmpty()) {
      database = single(query, "database", defaultDatabase);
    }
    if (!IDENTIFIER.matcher(database).matches()) {
      throw new ClickHouseException(ClickHouseException.UNKNOWN_DATABASE, "Database " + clip(database) + " does not exist");
    }
    if (!database.equals(defaultDatabase) && !databaseExists(database)) {
      throw new ClickHouseException(ClickHouseException.UNKNOWN_DATABASE, "Database " + database + " does not exist");
    }
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> requested = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      String name = e.getKey();
      String value = e.getValue().isEmpty() ? "" : e.getValue().get(e.getValue().size() - 1);
      if (name.startsWith("param_")) {
        params.put(name.substring(6), value);
      } else if (!RequestSettings.PROTOCOL.contains(name)) {
        requested.put(name, value);
      }
    }
    Map<String, String> settings =
        RequestSettings.resolve(requested, role, get, database, maxExecutionTime, maxResultRows);

    InputStream body = requestBody(ctx, query);
    String queryParam = single(query, "query", null);
    Statement statement;
    InputStream data;
    if (queryParam != null) {
      byte[] text = queryParam.getBytes(StandardCharsets.UTF_8);
      if (text.length > MAX_QUERY_BYTES) {
        throw tooLarge();
      }
      Statement head = Statement.parse(text, text.length, true);
      if (head.isDataInsert()) {
        // The INSERT is in the URL; inline data in it comes first, then the body.
        statement = head;
        data = new SequenceInputStream(
            new ByteArrayInputStream(text, head.dataOffset(), text.length - head.dataOffset()), body);
      } else {
        byte[] rest = readBounded(body, MAX_QUERY_BYTES - text.length);
        byte[] all = rest.length == 0 ? text : concat(text, rest);
        statement = Statement.parse(all, all.length, true);
        data = InputStream.nullInputStream();
      }
    } else {
      byte[] head = body.readNBytes(MAX_QUERY_BYTES + 1);
      if (head.length == 0) {
        throw new ClickHouseException(ClickHouseException.SYNTAX_ERROR, "Empty query");
      }
      statement = Statement.parse(head, head.length, true);
      if (statement.isDataInsert()) {
        data = new SequenceInputStream(
            new ByteArrayInputStream(head, statement.dataOffset(), head.length - statement.dataOffset()), body);
      } else {
        if (head.length > MAX_QUERY_BYTES) {
          throw tooLarge();
        }
        data = InputStream.nullInputStream();
      }
    }

    if (!statement.isRead() && (role == Users.Role.READ_ONLY || get)) {
      throw new ClickHouseException(ClickHouseException.READONLY, "Cannot execute query in readonly mode"
          + (get && role != Users.Role.READ_ONLY
              ? ". For queries over HTTP, method GET implies readonly. You should use method POST for modifying queries"
              : ""));
    }

    if (statement.isDataInsert()) {
      if ("Values".equalsIgnoreCase(statement.format())) {
        // VALUES data holds literals only: with expressions, a row could call file() or other functions
        // that the statement check never saw, since data is not scanned as SQL.
        settings.put("input_format_values_interpret_expressions", "0");
        settings.put("input_format_values_deduce_templates_of_expressions", "0");
      }
      long written = engine.insertFormatted(statement.insertPrefix(), statement.format(), data, settings);
      ctx.header("X-ClickHouse-Summary", summary(0, written, 0, started));
      ctx.status(200).contentType("text/plain; charset=UTF-8").result(new byte[0]);
      return;
    }
    String format = single(query, "default_format", null);
    String requestedFormat = ctx.header("X-ClickHouse-Format");
    if (format == null && requestedFormat != null) {
      format = requestedFormat;
    }
    if (format == null) {
      format = DEFAULT_FORMAT;
    }
    if (!FORMAT.matcher(format).matches()) {
      throw new ClickHouseException(ClickHouseException.UNKNOWN_FORMAT, "Unknown format " + clip(format));
    }
    byte[] output = engine.queryFormatted(statement.sql(), params, format, settings);
    String actual = statement.format() != null ? statement.format() : format;
    ctx.header("X-ClickHouse-Format", actual);
    ctx.header("X-ClickHouse-Summary", summary(0, 0, output.length, started));
    ctx.status(200).contentType(contentType(actual));
    write(ctx, query, output);
  }

  private boolean databaseExists(String database) throws StoreException {
    return !engine.query("SELECT 1 FROM system.databases WHERE name = {d:String}", Map.of("d", database))
        .rows().isEmpty();
  }

  /** The body, decompressed as the client announced: ClickHouse's LZ4 frames, gzip or deflate. */
  private static InputStream requestBody(Context ctx, Map<String, List<String>> query)
      throws IOException, ClickHouseException {
    InputStream in = ctx.req().getInputStream();
    String encoding = ctx.header("Content-Encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      String e = encoding.trim().toLowerCase(Locale.ROOT);
      in = switch (e) {
        case "gzip", "x-gzip" -> new GZIPInputStream(in);
        case "deflate" -> new InflaterInputStream(in);
        default -> throw new ClickHouseException(ClickHouseException.BAD_ARGUMENTS,
            "Unsupported Content-Encoding '" + clip(encoding) + "' (expected gzip or deflate)");
      };
    }
    if ("1".equals(single(query, "decompress", "0"))) {
      in = new Lz4InputStream(in);
    }
    return in;
  }

  /** The output, compressed as the client asked: {@code compress=1} LZ4 frames, or gzip/deflate. */
  private static void write(Context ctx, Map<String, List<String>> query, byte[] output) throws IOException {
    if ("1".equals(single(query, "compress", "0"))) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(output.length / 2 + 64);
      try (OutputStream lz4 = new Lz4OutputStream(buffer, 1 << 20, null)) {
        lz4.write(output);
      }
      ctx.result(buffer.toByteArray());
      return;
    }
    String accept = ctx.header("Accept-Encoding");
    if ("1".equals(single(query, "enable_http_compression", "0")) && accept != null) {
      String a = accept.toLowerCase(Locale.ROOT);
      if (a.contains("gzip")) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(output.length / 4 + 64);
        try (OutputStream gzip = new GZIPOutputStream(buffer)) {
          gzip.write(output);
        }
        ctx.header("Content-Encoding", "gzip");
        ctx.result(buffer.toByteArray());
        return;
      }
      if (a.contains("deflate")) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(output.length / 4 + 64);
        try (OutputStream deflate = new DeflaterOutputStream(buffer)) {
          deflate.write(output);
        }
        ctx.header("Content-Encoding", "deflate");
        ctx.result(buffer.toByteArray());
        return;
      }
    }
    ctx.result(output);
  }

  private static void error(Context ctx, ClickHouseException e) {
    ctx.header("X-ClickHouse-Exception-Code", Integer.toString(e.code()));
    ctx.header("X-ClickHouse-Exception-Tag", e.codeName());
    ctx.status(e.httpStatus()).contentType("text/plain; charset=UTF-8").result(e.body());
  }

  static String contentType(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (f.startsWith("json") || f.startsWith("ndjson")) {
      return f.equals("json") || f.equals("jsoncompact") || f.startsWith("jsonstrings")
          ? "application/json; charset=UTF-8"
          : "application/x-ndjson; charset=UTF-8";
    }
    if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (f.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=" + (f.contains("names") ? "present" : "absent");
    }
    if (f.startsWith("rowbinary") || f.equals("native") || f.startsWith("parquet") || f.startsWith("arrow")
        || f.equals("orc") || f.equals("avro") || f.startsWith("protobuf") || f.equals("msgpack")) {
      return "application/octet-stream";
    }
    return "text/plain; charset=UTF-8";
  }

  private static String summary(long readRows, long writtenRows, long resultBytes, long started) {
    return "{\"read_rows\":\"" + readRows + "\",\"read_bytes\":\"0\",\"written_rows\":\"" + writtenRows
        + "\",\"written_bytes\":\"0\",\"total_rows_to_read\":\"0\",\"result_rows\":\"0\",\"result_bytes\":\""
        + resultBytes + "\",\"elapsed_ns\":\"" + (System.nanoTime() - started) + "\"}";
  }

  private static @Nullable String single(Map<String, List<String>> query, String name, @Nullable String fallback) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
  }

  private static byte[] readBounded(InputStream in, int max) throws IOException, ClickHouseException {
    byte[] bytes = in.readNBytes(Math.max(0, max) + 1);
    if (bytes.length > max) {
      throw tooLarge();
    }
    return bytes;
  }

  private static byte[] concat(byte[] text, byte[] rest) {
    byte[] all = new byte[text.length + 1 + rest.length];
    System.arraycopy(text, 0, all, 0, text.length);
    all[text.length] = '\n';
    System.arraycopy(rest, 0, all, text.length + 1, rest.length);
    return all;
  }

  private static ClickHouseException tooLarge() {
    return new ClickHouseException(ClickHouseException.QUERY_IS_TOO_LARGE,
        "Query is too large (more than max_query_size " + MAX_QUERY_BYTES + " bytes)");
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
