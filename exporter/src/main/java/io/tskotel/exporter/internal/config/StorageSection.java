package io.tskotel.exporter.internal.config;

import static io.tskotel.tsk.ValueType.BOOLEAN;
import static io.tskotel.tsk.ValueType.BYTES;
import static io.tskotel.tsk.ValueType.DURATION;
import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.LONG;
import static io.tskotel.tsk.ValueType.STRING;
import static io.tskotel.tsk.ValueType.STRINGS;

import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.ValueType;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The TSK {@code [storage]} section's keys (documented in {@code docs/operations.md}), declared once: each is
 * optional, and a missing key keeps the builder's default. Bad values are collected by the reader.
 */
public final class StorageSection {
  public static final String SECTION = "storage";

  private static final ValueType<StoreConfig.EngineKind> ENGINE = (tsk, path) -> {
    String v = tsk.getString(path);
    return switch (v) {
      case "embedded" -> StoreConfig.EngineKind.EMBEDDED;
      case "remote" -> StoreConfig.EngineKind.REMOTE;
      default -> throw ValueType.invalid(tsk, path, ValueType.shown(v), "\"embedded\" or \"remote\"");
    };
  };

  private static final ValueType<StoreConfig.InsertFormat> INSERT_FORMAT = (tsk, path) -> {
    String v = tsk.getString(path);
    return switch (v) {
      case "native" -> StoreConfig.InsertFormat.NATIVE;
      case "rowbinary" -> StoreConfig.InsertFormat.ROWBINARY;
      default -> throw ValueType.invalid(tsk, path, ValueType.shown(v), "\"native\" or \"rowbinary\"");
    };
  };

  /** An array of URLs, or one string of comma-separated URLs (what {@code @env} can supply). */
  private static final ValueType<List<URI>> URLS = (tsk, path) -> {
    List<String> texts = tsk.get(path) instanceof String s
        ? (s.isBlank() ? List.of() : List.of(s.split(",")))
        : STRINGS.read(tsk, path);
    List<URI> uris = new ArrayList<>();
    for (String text : texts) {
      try {
        uris.add(URI.create(text.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(tsk.location(path) + ": " + path + ": \"" + text.strip()
            + "\" is not a URL (expected: http(s)://host:port)");
      }
    }
    return uris;
  };

  private StorageSection() {}

  /** Applies the {@code [storage]} keys present in {@code r}'s document to {@code builder}. */
  public static StoreConfig.Builder read(SettingsReader r, StoreConfig.Builder builder) {
    SettingsReader.Section s = r.section(SECTION);
    s.ifPresent("engine", ENGINE, builder::engine);
    s.ifPresent("data_path", STRING, v -> builder.dataPath(Path.of(v)));
    s.ifPresent("database", STRING, builder::database);
    s.ifPresent("migrate_on_start", BOOLEAN, builder::migrateOnStart);
    for (String signal : List.of("traces", "logs", "metrics", "alerts")) {
      s.ifPresent("ttl_" + signal, DURATION, v -> builder.ttl(signal, v));
    }
    s.ifPresent("cluster_name", STRING, builder::clusterName);
    String engine = s.get("table_engine", STRING);
    List<String> params = s.get("table_engine_params", STRINGS);
    if (engine != null) {
      builder.tableEngine(engine, params == null ? List.of() : params);
    } else if (params != null) {
      s.error("table_engine_params", "given without table_engine (expected: both)");
    }
    s.ifPresent("endpoints", URLS, builder::endpoints);
    s.ifPresent("user", STRING, builder::user);
    s.ifPresent("password_env", STRING, builder::passwordEnv);
    s.ifPresent("trust_store", STRING, v -> builder.trustStore(Path.of(v)));
    s.ifPresent("connect_timeout", DURATION, builder::connectTimeout);
    s.ifPresent("socket_timeout", DURATION, builder::socketTimeout);
    s.ifPresent("compression", BOOLEAN, builder::compression);
    s.ifPresent("max_insert_bytes", INT, builder::maxInsertBytes);
    s.ifPresent("insert_format", INSERT_FORMAT, builder::insertFormat);
    s.ifPresent("read_connections", INT, builder::readConnections);
    s.ifPresent("query_timeout", DURATION, builder::queryTimeout);
    s.ifPresent("max_result_rows", LONG, builder::maxResultRows);
    // The embedded engine's memory: each key optional, the rest keep their defaults.
    EngineMemory d = EngineMemory.defaults();
    builder.engineMemory(new EngineMemory(
        s.get("engine_memory_limit", BYTES, d.serverMemoryLimit()),
        s.get("mark_cache_size", BYTES, d.markCacheSize()),
        s.get("index_cache_size", BYTES, d.indexCacheSize()),
        s.get("uncompressed_cache_size", BYTES, d.uncompressedCacheSize()),
        s.get("query_memory_limit", BYTES, d.queryMemoryLimit()),
        s.get("engine_memory_purge_threshold", BYTES, d.purgeThreshold())));
    return builder;
  }
}
