package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.internal.config.StorageSection;
import io.tskotel.exporter.internal.schema.Identifiers;
import io.tskotel.exporter.internal.schema.SchemaSettings;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The store's configuration (the TSK {@code [storage]} section): which engine, where its data lives, the
 * database, retention per signal, migrations, cluster topology and the remote server's connection.
 * {@link #validate()} lists every problem at once; the factories refuse an invalid config.
 *
 * @param dataPath embedded engine: the data directory
 * @param ttls retention per signal: traces, logs, metrics, alerts; zero keeps data forever
 * @param clusterName adds ON CLUSTER to DDL and Distributed tables over local ones; null for one server
 * @param tableEngine MergeTree by default, ReplicatedMergeTree with a cluster
 * @param passwordEnv the name of the environment variable holding the password; the password itself is never
 *     stored here
 * @param maxInsertBytes an insert is sent once its RowBinary reaches this size; a batch may become several
 * @param readConnections embedded engine: connections on the data path for parallel reads
 * @param queryTimeout how long a {@link TelemetryStore#query} may run
 * @param maxResultRows the most rows a {@link TelemetryStore#query} may return; more is an error, not a
 *     truncation
 * @param engineMemory embedded engine: its memory limit, caches and per-statement memory
 * @param insertFormat embedded engine: the format rows are inserted in (Native by default: about half the
 *     engine's CPU per row of RowBinary); the remote engine always inserts RowBinary
 */
public record StoreConfig(
    EngineKind engine,
    Path dataPath,
    String database,
    Map<String, Duration> ttls,
    boolean migrateOnStart,
    @Nullable String clusterName,
    String tableEngine,
    List<String> tableEngineParams,
    List<URI> endpoints,
    String user,
    @Nullable String passwordEnv,
    @Nullable Path trustStore,
    Duration connectTimeout,
    Duration socketTimeout,
    boolean compression,
    int maxInsertBytes,
    int readConnections,
    Duration queryTimeout,
    long maxResultRows,
    EngineMemory engineMemory,
    InsertFormat insertFormat) {

  /** Where the tables live. */
  public enum EngineKind {
    /** chDB inside this process, data under {@link #dataPath()}. */
    EMBEDDED,
    /** A ClickHouse server or cluster over HTTP(S). */
    REMOTE
  }

  /** How rows travel to the embedded engine; the encoders write RowBinary either way. */
  public enum InsertFormat {
    /** Each chunk transcoded to one Native block, column by column: the engine parses it at about half the CPU. */
    NATIVE,
    /** The encoders' RowBinary as it is. */
    ROWBINARY
  }

  public static final Duration DEFAULT_TRACES_TTL = Duration.ofDays(7);
  public static final Duration DEFAULT_LOGS_TTL = Duration.ofDays(7);
  public static final Duration DEFAULT_METRICS_TTL = Duration.ofDays(30);
  public static final Duration DEFAULT_ALERTS_TTL = Duration.ofDays(90);

  public StoreConfig {
    requireNonNull(engine, "engine");
    requireNonNull(dataPath, "dataPath");
    requireNonNull(database, "database");
    ttls = Map.copyOf(ttls);
    requireNonNull(tableEngine, "tableEngine");
    tableEngineParams = List.copyOf(tableEngineParams);
    endpoints = List.copyOf(endpoints);
    requireNonNull(user, "user");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(socketTimeout, "socketTimeout");
    requireNonNull(queryTimeout, "queryTimeout");
    requireNonNull(engineMemory, "engineMemory");
    requireNonNull(insertFormat, "insertFormat");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding the TSK {@code [storage]} section's settings over the defaults (keys in {@code
   * docs/operations.md}); {@link #validate()} the result as usual.
   *
   * @throws IllegalArgumentException listing every value of the wrong type or form, each as {@code
   *     file:line:col: storage.key: ...}
   */
  public static Builder builder(Tsk tsk) {
    SettingsReader r = new SettingsReader(requireNonNull(tsk, "tsk"));
    Builder builder = read(r);
    if (!r.errors().isEmpty()) {
      throw new IllegalArgumentException("invalid [storage] section:\n" + String.join("\n", r.errors()));
    }
    return builder;
  }

  /**
   * A builder holding the {@code [storage]} section's settings over the defaults; bad values are collected by
   * {@code r}, and the section's other keys are unknown unless another component reads them.
   */
  public static Builder read(SettingsReader r) {
    return StorageSection.read(r, new Builder());
  }

  /** Every problem with this config, as {@code "field: value (expected: ...)"}; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    add(errors, Identifiers.checkIdentifier("database", database));
    if (clusterName != null) {
      add(errors, Identifiers.checkIdentifier("clusterName", clusterName));
      if (engine == EngineKind.EMBEDDED) {
        errors.add("clusterName: \"" + clusterName + "\" (expected: none with the embedded engine; a cluster needs engine remote)");
      }
    }
    add(errors, Identifiers.checkEngineName("tableEngine", tableEngine));
    if (engine == EngineKind.EMBEDDED && !tableEngine.equals("MergeTree")) {
      errors.add("tableEngine: " + tableEngine + " (expected: MergeTree with the embedded engine)");
    }
    for (int i = 0; i < tableEngineParams.size(); i++) {
      add(errors, Identifiers.checkEngineParam("tableEngineParams[" + i + "]", tableEngineParams.get(i)));
    }
    for (Map.Entry<String, Duration> e : ttls.entrySet()) {
      Duration d = e.getValue();
      if (d.isNegative() || (!d.isZero() && d.toSeconds() == 0)) {
        errors.add("ttl." + e.getKey() + ": " + d + " (expected: 0 to keep forever, or >= 1s)");
      }
    }
    if (maxInsertBytes < 1024) {
      errors.add("maxInsertBytes: " + maxInsertBytes + " (expected: >= 1024)");
    }
    if (readConnections < 1 || readConnections > 64) {
      errors.add("readConnections: " + readConnections + " (expected: 1..64)");
    }
    if (queryTimeout.toSeconds() < 1) {
      errors.add("queryTimeout: " + queryTimeout + " (expected: >= 1s)");
    }
    if (maxResultRows < 1) {
      errors.add("maxResultRows: " + maxResultRows + " (expected: > 0)");
    }
    errors.addAll(engineMemory.validate());
    if (engine == EngineKind.REMOTE) {
      if (endpoints.isEmpty()) {
        errors.add("endpoints: [] (expected: at least one http:// or https:// URL)");
      }
      for (int i = 0; i < endpoints.size(); i++) {
        URI u = endpoints.get(i);
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
          errors.add("endpoints[" + i + "]: " + u + " (expected: http://host:port or https://host:port)");
        } else if (u.getUserInfo() != null) {
          errors.add("endpoints[" + i + "]: credentials in the URL (expected: user and passwordEnv)");
        }
      }
      if (user.isBlank()) {
        errors.add("user: \"\" (expected: a ClickHouse user name)");
      }
      if (passwordEnv != null && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        errors.add("passwordEnv: \"" + passwordEnv + "\" (expected: an environment variable name)");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        errors.add("connectTimeout: " + connectTimeout + " (expected: > 0)");
      }
      if (socketTimeout.isNegative() || socketTimeout.isZero()) {
        errors.add("socketTimeout: " + socketTimeout + " (expected: > 0)");
      }
    }
    return errors;
  }

  private static void add(List<String> errors, @Nullable String error) {
    if (error != null) {
      errors.add(error);
    }
  }

  /** Throws IllegalArgumentException listing every problem, or returns this. */
  public StoreConfig requireValid() {
    List<String> errors = validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid storage config: " + String.join("; ", errors));
    }
    return this;
  }

  /** The schema this config asks for. */
  SchemaSettings schema() {
    return new SchemaSettings(database, clusterName, tableEngine, tableEngineParams, ttls);
  }

  @Override
  public String toString() {
    // No password here: only the variable's name.
    return "StoreConfig{engine=" + engine + ", dataPath=" + dataPath + ", database=" + database + ", ttls=" + ttls
        + ", migrateOnStart=" + migrateOnStart + ", clusterName=" + clusterName + ", tableEngine=" + tableEngine
        + ", endpoints=" + endpoints + ", user=" + user + ", passwordEnv=" + passwordEnv + "}";
  }

  public static final class Builder {
    private EngineKind engine = EngineKind.EMBEDDED;
    private Path dataPath = Path.of("data", "chdb");
    private String database = "otel";
    private final Map<String, Duration> ttls = new LinkedHashMap<>(Map.of(
        "traces", DEFAULT_TRACES_TTL, "logs", DEFAULT_LOGS_TTL,
        "metrics", DEFAULT_METRICS_TTL, "alerts", DEFAULT_ALERTS_TTL));
    private boolean migrateOnStart = true;
    private @Nullable String clusterName;
    private @Nullable String tableEngine;
    private List<String> tableEngineParams = List.of();
    private List<URI> endpoints = List.of();
    private String user = "default";
    private @Nullable String passwordEnv;
    private @Nullable Path trustStore;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private boolean compression = true;
    private int maxInsertBytes = 16 * 1024 * 1024;
    private int readConnections = 4;
    private Duration queryTimeout = Duration.ofSeconds(30);
    private long maxResultRows = 1_000_000;
    private EngineMemory engineMemory = EngineMemory.defaults();
    private InsertFormat insertFormat = InsertFormat.NATIVE;

    private Builder() {}

    public Builder engine(EngineKind engine) {
      this.engine = requireNonNull(engine, "engine");
      return this;
    }

    public Builder dataPath(Path dataPath) {
      this.dataPath = requireNonNull(dataPath, "dataPath");
      return this;
    }

    public Builder database(String database) {
      this.database = requireNonNull(database, "database");
      return this;
    }

    /** Retention of one signal (traces, logs, metrics, alerts); {@link Duration#ZERO} keeps forever. */
    public Builder ttl(String signal, Duration ttl) {
      requireNonNull(signal, "signal");
      requireNonNull(ttl, "ttl");
      if (!SchemaSettings.SIGNALS.contains(signal)) {
        throw new IllegalArgumentException("ttl signal: " + signal + " (expected: one of " + SchemaSettings.SIGNALS + ")");
      }
      ttls.put(signal, ttl);
      return this;
    }

    public Builder migrateOnStart(boolean migrateOnStart) {
      this.migrateOnStart = migrateOnStart;
      return this;
    }

    /** A cluster name adds ON CLUSTER to DDL and Distributed tables over local ones. */
    public Builder clusterName(@Nullable String clusterName) {
      this.clusterName = clusterName;
      return this;
    }

    public Builder tableEngine(String name, List<String> params) {
      this.tableEngine = requireNonNull(name, "name");
      this.tableEngineParams = List.copyOf(requireNonNull(params, "params"));
      return this;
    }

    public Builder endpoints(List<URI> endpoints) {
      this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    public Builder user(String user) {
      this.user = requireNonNull(user, "user");
      return this;
    }

    public Builder passwordEnv(@Nullable String passwordEnv) {
      this.passwordEnv = passwordEnv;
      return this;
    }

    public Builder trustStore(@Nullable Path trustStore) {
      this.trustStore = trustStore;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    public Builder socketTimeout(Duration socketTimeout) {
      this.socketTimeout = requireNonNull(socketTimeout, "socketTimeout");
      return this;
    }

    public Builder compression(boolean compression) {
      this.compression = compression;
      return this;
    }

    public Builder maxInsertBytes(int maxInsertBytes) {
      this.maxInsertBytes = maxInsertBytes;
      return this;
    }

    public Builder readConnections(int readConnections) {
      this.readConnections = readConnections;
      return this;
    }

    public Builder queryTimeout(Duration queryTimeout) {
      this.queryTimeout = requireNonNull(queryTimeout, "queryTimeout");
      return this;
    }

    public Builder engineMemory(EngineMemory engineMemory) {
      this.engineMemory = requireNonNull(engineMemory, "engineMemory");
      return this;
    }

    public Builder insertFormat(InsertFormat insertFormat) {
      this.insertFormat = requireNonNull(insertFormat, "insertFormat");
      return this;
    }

    public Builder maxResultRows(long maxResultRows) {
      this.maxResultRows = maxResultRows;
      return this;
    }

    /** The config as given; call {@link StoreConfig#validate()} to check it. */
    public StoreConfig build() {
      String engineName = tableEngine != null ? tableEngine : (clusterName != null ? "ReplicatedMergeTree" : "MergeTree");
      return new StoreConfig(engine, dataPath, database, ttls, migrateOnStart, clusterName, engineName,
          tableEngineParams, endpoints, user, passwordEnv, trustStore, connectTimeout, socketTimeout, compression,
          maxInsertBytes, readConnections, queryTimeout, maxResultRows, engineMemory, insertFormat);
    }
  }
}
