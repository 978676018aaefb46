package io.tskotel.exporter.internal.schema;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the DDL templates may vary: the database, the cluster (ON CLUSTER, local + Distributed tables), the
 * MergeTree-family engine and a TTL per signal. Every value is validated here; nothing else reaches SQL.
 *
 * @param database the database holding every table
 * @param cluster the cluster name, or null for a single server (embedded or remote)
 * @param engineName {@code MergeTree} or a variant such as {@code ReplicatedMergeTree}
 * @param engineParams the engine's parameters, rendered as string literals
 * @param ttls retention per signal ({@code traces}, {@code logs}, {@code metrics}, {@code alerts}); a
 *     missing or zero entry keeps data forever
 */
public record SchemaSettings(
    String database,
    @Nullable String cluster,
    String engineName,
    List<String> engineParams,
    Map<String, Duration> ttls) {

  public static final List<String> SIGNALS = List.of("traces", "logs", "metrics", "alerts");

  public SchemaSettings {
    requireNonNull(database, "database");
    requireNonNull(engineName, "engineName");
    engineParams = List.copyOf(requireNonNull(engineParams, "engineParams"));
    ttls = Map.copyOf(requireNonNull(ttls, "ttls"));
    List<String> errors = errors(database, cluster, engineName, engineParams, ttls);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  /** A single server with plain MergeTree tables. */
  public static SchemaSettings single(String database, Map<String, Duration> ttls) {
    return new SchemaSettings(database, null, "MergeTree", List.of(), ttls);
  }

  public boolean clustered() {
    return cluster != null;
  }

  static List<String> errors(String database, @Nullable String cluster, String engineName,
      List<String> engineParams, Map<String, Duration> ttls) {
    List<String> errors = new ArrayList<>();
    add(errors, Identifiers.checkIdentifier("database", database));
    if (cluster != null) {
      add(errors, Identifiers.checkIdentifier("cluster", cluster));
    }
    add(errors, Identifiers.checkEngineName("engine", engineName));
    for (int i = 0; i < engineParams.size(); i++) {
      add(errors, Identifiers.checkEngineParam("engineParams[" + i + "]", engineParams.get(i)));
    }
    for (Map.Entry<String, Duration> e : ttls.entrySet()) {
      if (!SIGNALS.contains(e.getKey())) {
        errors.add("ttl." + e.getKey() + ": unknown signal (expected: one of " + SIGNALS + ")");
      } else if (e.getValue().isNegative() || e.getValue().toSeconds() == 0 && !e.getValue().isZero()) {
        errors.add("ttl." + e.getKey() + ": " + e.getValue() + " (expected: 0 for none, or at least 1 second)");
      }
    }
    return errors;
  }

  private static void add(List<String> errors, @Nullable String error) {
    if (error != null) {
      errors.add(error);
    }
  }
}
