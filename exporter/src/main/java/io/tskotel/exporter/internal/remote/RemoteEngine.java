package io.tskotel.exporter.internal.remote;

import static java.util.Objects.requireNonNull;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientFaultCause;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.ReadOnlySql;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse server or cluster over HTTP(S), through the official client-v2: inserts carry the store's
 * RowBinary bytes unchanged (LZ4-compressed on the wire), queries bind parameters and come back as
 * RowBinaryWithNamesAndTypes, decoded by the same reader the embedded engine uses.
 *
 * <p>Several endpoints share the load round-robin; an endpoint that cannot be reached is skipped for the
 * same request. Errors are classified by {@link RemoteErrors}.
 */
public final class RemoteEngine implements SqlEngine {
  private static final Pattern INSERT_PREFIX = Pattern.compile("INSERT INTO (\\S+) \\((.*)\\)", Pattern.DOTALL);

  private final List<Endpoint> endpoints;
  private final AtomicInteger next = new AtomicInteger();
  private final long timeoutMillis;
  private final boolean clustered;
  private final AtomicBoolean closed = new AtomicBoolean();

  private record Endpoint(URI uri, Client client) {}

  private RemoteEngine(List<Endpoint> endpoints, Duration timeout, boolean clustered) {
    this.endpoints = endpoints;
    this.timeoutMillis = timeout.toMillis();
    this.clustered = clustered;
  }

  /**
   * Connects lazily to every endpoint of {@code config}. The password is read from the environment variable
   * {@link StoreConfig#passwordEnv()} through {@code env}; it is never logged.
   */
  public static RemoteEngine open(StoreConfig config, Function<String, String> env) {
    requireNonNull(config, "config");
    requireNonNull(env, "env");
    config.requireValid();
    String password = "";
    if (config.passwordEnv() != null) {
      password = env.apply(config.passwordEnv());
      if (password == null) {
        throw new IllegalArgumentException(
            "passwordEnv: " + config.passwordEnv() + " (expected: an environment variable that is set)");
      }
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (URI uri : config.endpoints()) {
      Client.Builder b = new Client.Builder()
          .addEndpoint(uri.toString())
          .setUsername(config.user())
          .setPassword(password)
          .setDefaultDatabase(config.database())
          .setConnectTimeout(config.connectTimeout().toMillis(), ChronoUnit.MILLIS)
          .setSocketTimeout(config.socketTimeout().toMillis(), ChronoUnit.MILLIS)
          .setExecutionTimeout(config.socketTimeout().toMillis(), ChronoUnit.MILLIS)
          .compressClientRequest(config.compression())
          .compressServerResponse(config.compression())
          // Our own failover and the caller's retry decide; the client must not resend inserts itself
          // (nor log every failure as a retry it will not make).
          .setMaxRetries(0)
          .retryOnFailures(ClientFaultCause.None)
          .setClientName("tskotel")
          .useServerTimeZone(false)
          .useTimeZone("UTC");
      if (config.trustStore() != null) {
        b.setSSLTrustStore(config.trustStore().toString());
      }
      endpoints.add(new Endpoint(uri, b.build()));
    }
    Duration timeout = config.connectTimeout().plus(config.socketTimeout());
    return new RemoteEngine(List.copyOf(endpoints), timeout, config.clusterName() != null);
  }

  @Override
  public void execute(String sql, Map<String, String> params) throws StoreException {
    requireNonNull(sql, "sql");
    Map<String, Object> p = new LinkedHashMap<>(params);
    call("execute", client -> {
      client.execute(sql, p, new CommandSettings()).get(timeoutMillis, TimeUnit.MILLISECONDS).close();
      return null;
    });
  }

  @Override
  public QueryResult query(String sql, Map<String, String> params) throws StoreException {
    requireNonNull(sql, "sql");
    return select(sql, params, new QuerySettings().setFormat(ClickHouseFormat.RowBinaryWithNamesAndTypes));
  }

  /**
   * The server holds the statement to reading with {@code readonly=1}: no writes, no DDL, no table functions
   * (url, file, remote, s3...: {@code readonly=2} would allow them) and no settings changes, so a
   * {@code SETTINGS} clause cannot lift {@code max_execution_time} or {@code max_result_rows}. The limits are
   * sent with it: the server checks the request's settings against the user's profile before applying them,
   * then refuses any change from the statement. {@link ReadOnlySql} refuses both before the request is sent.
   */
  @Override
  public QueryResult queryReadOnly(
      String sql, Map<String, String> params, Duration maxExecutionTime, long maxResultRows)
      throws StoreException {
    requireNonNull(sql, "sql");
    ReadOnlySql.check(sql);
    QuerySettings settings = new QuerySettings()
        .setFormat(ClickHouseFormat.RowBinaryWithNamesAndTypes)
        .serverSetting("max_execution_time", Long.toString(Math.max(1, maxExecutionTime.toSeconds())))
        .serverSetting("max_result_rows", Long.toString(maxResultRows))
        .serverSetting("result_overflow_mode", "throw")
        .serverSetting("readonly", "1");
    return select(sql, params, settings);
  }

  private QueryResult select(String sql, Map<String, String> params, QuerySettings settings)
      throws StoreException {
    Map<String, Object> p = new LinkedHashMap<>(params);
    return call("query", client -> {
      QueryResponse response = client.query(sql, p, settings).get(timeoutMillis, TimeUnit.MILLISECONDS);
      try {
        return RemoteResults.decode(response.getInputStream());
      } finally {
        response.close();
      }
    });
  }

  @Override
  public void insertRowBinary(String insertPrefix, byte[] rows, int length, int rowCount) throws StoreException {
    Matcher m = INSERT_PREFIX.matcher(requireNonNull(insertPrefix, "insertPrefix"));
    if (!m.matches()) {
      throw StoreException.permanent("insert prefix not of the form INSERT INTO table (columns): " + insertPrefix);
    }
    String table = m.group(1);
    List<String> columns = Arrays.stream(m.group(2).split(",")).map(String::strip).toList();
    byte[] data = rows;
    InsertSettings settings = new InsertSettings();
    if (clustered) {
      // The insert goes to a Distributed table: answer only once the rows reached the shards, so the
      // queue is committed after the data is where queries read it, not while it waits in a node's
      // spool (lost with that node). Older name of distributed_foreground_insert; both servers know it.
      settings.serverSetting("insert_distributed_sync", "1");
    }
    call("insert into " + table, client -> {
      InputStream in = new ByteArrayInputStream(data, 0, length);
      client.insert(table, columns, in, ClickHouseFormat.RowBinary, settings)
          .get(timeoutMillis, TimeUnit.MILLISECONDS).close();
      return null;
    });
  }

  /** Parses the prefix the way {@link #insertRowBinary} does; for tests. */
  static String[] splitPrefix(String insertPrefix) {
    Matcher m = INSERT_PREFIX.matcher(insertPrefix);
    if (!m.matches()) {
      return null;
    }
    return new String[] {m.group(1), m.group(2)};
  }

  private interface Call<T> {
    T run(Client client) throws Exception;
  }

  private <T> T call(String what, Call<T> call) throws StoreException {
    if (closed.get()) {
      throw StoreException.storeFault("store closed", what + ": remote engine is closed", false, null);
    }
    int start = Math.floorMod(next.getAndIncrement(), endpoints.size());
    StoreException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint ep = endpoints.get((start + i) % endpoints.size());
      try {
        return call.run(ep.client());
      } catch (Exception e) {
        StoreException se = RemoteErrors.classify(what + " at " + ep.uri(), e);
        // Only a request that never reached a server may go to the next one: anything else could have
        // been applied, and the caller decides about retrying it.
        if (!RemoteErrors.isUnreachable(se)) {
          throw se;
        }
        last = se;
      }
    }
    throw last;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (Endpoint ep : endpoints) {
        ep.client().close();
      }
    }
  }
}
