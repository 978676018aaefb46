package io.tskotel.exporter.internal.config;

import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the TSK {@code [storage]} section into a {@link StoreConfig.Builder}: the keys documented in
 * {@code docs/operations.md}, each optional (a missing key keeps the builder's default). Every value of the
 * wrong type or form is reported with its {@code file:line:col}, all of them in one pass. Keys it does not
 * know are left alone: other components keep their settings in the same section.
 */
public final class StorageSection {
  public static final String SECTION = "storage";

  private final Tsk tsk;
  private final StoreConfig.Builder builder;
  private final List<String> errors = new ArrayList<>();

  private StorageSection(Tsk tsk, StoreConfig.Builder builder) {
    this.tsk = tsk;
    this.builder = builder;
  }

  /**
   * Applies {@code tsk}'s {@code [storage]} keys to {@code builder}.
   *
   * @throws IllegalArgumentException listing every bad value, one per line, each with its position
   */
  public static StoreConfig.Builder read(Tsk tsk, StoreConfig.Builder builder) {
    StorageSection s = new StorageSection(tsk, builder);
    s.readAll();
    if (!s.errors.isEmpty()) {
      throw new IllegalArgumentException("invalid [" + SECTION + "] section:\n" + String.join("\n", s.errors));
    }
    return builder;
  }

  private void readAll() {
    apply("engine", tsk::getString, v -> {
      switch (v) {
        case "embedded" -> builder.engine(StoreConfig.EngineKind.EMBEDDED);
        case "remote" -> builder.engine(StoreConfig.EngineKind.REMOTE);
        default -> error("engine", "\"" + v + "\" (expected: \"embedded\" or \"remote\")");
      }
    });
    apply("data_path", tsk::getString, v -> builder.dataPath(Path.of(v)));
    apply("database", tsk::getString, builder::database);
    apply("migrate_on_start", tsk::getBoolean, builder::migrateOnStart);
    for (String signal : List.of("traces", "logs", "metrics", "alerts")) {
      apply("ttl_" + signal, tsk::getDuration, v -> builder.ttl(signal, v));
    }
    apply("cluster_name", tsk::getString, builder::clusterName);
    String engine = value("table_engine", tsk::getString);
    List<String> params = value("table_engine_params", this::strings);
    if (engine != null) {
      builder.tableEngine(engine, params == null ? List.of() : params);
    } else if (params != null) {
      error("table_engine_params", "given without table_engine (expected: both)");
    }
    apply("endpoints", this::urls, builder::endpoints);
    apply("user", tsk::getString, builder::user);
    apply("password_env", tsk::getString, builder::passwordEnv);
    apply("trust_store", tsk::getString, v -> builder.trustStore(Path.of(v)));
    apply("connect_timeout", tsk::getDuration, builder::connectTimeout);
    apply("socket_timeout", tsk::getDuration, builder::socketTimeout);
    apply("compression", tsk::getBoolean, builder::compression);
    apply("max_insert_bytes", tsk::getInt, builder::maxInsertBytes);
    apply("read_connections", tsk::getInt, builder::readConnections);
    apply("query_timeout", tsk::getDuration, builder::queryTimeout);
    apply("max_result_rows", tsk::getLong, builder::maxResultRows);
  }

  /** Reads {@code key} with {@code getter} and hands the value to {@code setter}, unless it is missing. */
  private <T> void apply(String key, Function<String, T> getter, Consumer<T> setter) {
    T v = value(key, getter);
    if (v != null) {
      setter.accept(v);
    }
  }

  /** The value of {@code key}; null when it is missing, null, or wrong (then recorded). */
  private <T> @Nullable T value(String key, Function<String, T> getter) {
    String path = SECTION + "." + key;
    if (tsk.get(path) == null) {
      return null;
    }
    try {
      return getter.apply(path);
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
      return null;
    }
  }

  private List<String> strings(String path) {
    List<String> out = new ArrayList<>();
    for (Object o : tsk.getList(path)) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException(
            tsk.location(path) + ": " + path + ": an array holding a non-string (expected: an array of strings)");
      }
      out.add(s);
    }
    return out;
  }

  /** An array of URLs, or one string of comma-separated URLs (what {@code @env} can supply). */
  private List<URI> urls(String path) {
    List<String> texts;
    if (tsk.get(path) instanceof String s) {
      texts = s.isBlank() ? List.of() : List.of(s.split(","));
    } else {
      texts = strings(path);
    }
    List<URI> uris = new ArrayList<>();
    for (String text : texts) {
      try {
        uris.add(URI.create(text.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            tsk.location(path) + ": " + path + ": \"" + text.strip() + "\" is not a URL (expected: http(s)://host:port)");
      }
    }
    return uris;
  }

  private void error(String key, String message) {
    String path = SECTION + "." + key;
    errors.add(tsk.location(path) + ": " + path + ": " + message);
  }
}
