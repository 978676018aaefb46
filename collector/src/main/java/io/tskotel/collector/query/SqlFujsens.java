package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The SQL fujsen of a configuration, callable by name ({@code name}, or {@code section.name} when two
 * sections declare the same name). Each call binds the caller's values to the declared parameters (every
 * declared parameter required, nothing else accepted) and runs the query through {@link
 * TelemetryStore#query}, which the engine itself holds to reading (a {@code readonly} connection: writes,
 * DDL and settings changes are refused) within the store's time and row limits ({@code StoreConfig}
 * {@code queryTimeout} and {@code maxResultRows}).
 *
 * <p>A query names tables with their database ({@code otel.otel_traces}), or writes {@code
 * {db:Identifier}.otel_traces}: a {@code db} parameter of type Identifier is always bound to the store's
 * database ({@link QueryConfig#database()}) and is not the caller's to give.
 */
public final class SqlFujsens {

  private static final String DB_PARAM = "db";

  private final Map<String, SqlFujsen> byKey = new LinkedHashMap<>();
  private final List<SqlFujsen> all;
  private final TelemetryStore store;
  private final String database;

  private SqlFujsens(Collection<SqlFujsen> fujsen, TelemetryStore store, QueryConfig config) {
    this.store = requireNonNull(store, "store");
    this.database = config.database();
    this.all = List.copyOf(fujsen);
    Map<String, Integer> nameCount = new LinkedHashMap<>();
    for (SqlFujsen f : all) {
      nameCount.merge(f.name(), 1, Integer::sum);
    }
    for (SqlFujsen f : all) {
      byKey.put(f.section() + "." + f.name(), f);
      if (nameCount.get(f.name()) == 1) {
        byKey.put(f.name(), f);
      }
    }
  }

  public static SqlFujsens of(Collection<SqlFujsen> fujsen, TelemetryStore store, QueryConfig config) {
    return new SqlFujsens(fujsen, store, config);
  }

  /**
   * The SQL fujsen among {@code bodies} (section → fujsen name → body); bodies that are not queries are
   * skipped (they are code for the fujsen registry).
   *
   * @throws IllegalArgumentException listing every malformed query (more than one statement, a parameter
   *     with two types)
   */
  public static List<SqlFujsen> parseAll(Map<String, Map<String, String>> bodies) {
    List<SqlFujsen> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> section : bodies.entrySet()) {
      for (Map.Entry<String, String> body : section.getValue().entrySet()) {
        try {
          SqlFujsen.parse(section.getKey(), body.getKey(), body.getValue()).ifPresent(out::add);
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return out;
  }

  public List<SqlFujsen> all() {
    return all;
  }

  /** Whether {@code name} ({@code name} or {@code section.name}) is a SQL fujsen. */
  public boolean contains(String name) {
    return byKey.containsKey(name);
  }

  /**
   * Runs fujsen {@code name} with {@code args}.
   *
   * @throws UnknownFujsenException when no SQL fujsen has that name (the message lists those that exist)
   * @throws IllegalArgumentException when an argument is missing or not declared (the message gives the
   *     signature)
   * @throws StoreException when the engine refuses or fails the query (permanent: a bad value for its type,
   *     a write attempt, a limit exceeded)
   */
  public QueryResult run(String name, Map<String, String> args) throws StoreException {
    requireNonNull(name, "name");
    requireNonNull(args, "args");
    SqlFujsen f = byKey.get(name);
    if (f == null) {
      throw new UnknownFujsenException(
          "fujsen: \"" + name + "\" is not a SQL fujsen (declared: " + new TreeSet<>(byKey.keySet()) + ")");
    }
    List<String> problems = new ArrayList<>();
    Map<String, String> bound = new LinkedHashMap<>(args);
    boolean autoDb = "Identifier".equals(f.params().get(DB_PARAM));
    if (autoDb) {
      if (args.containsKey(DB_PARAM)) {
        problems.add(DB_PARAM + " is bound to the store's database");
      }
      bound.put(DB_PARAM, database);
    }
    for (String p : new TreeSet<>(f.params().keySet())) {
      if (!bound.containsKey(p)) {
        problems.add("missing " + p);
      }
    }
    for (String a : new TreeSet<>(args.keySet())) {
      if (!f.params().containsKey(a) && !(autoDb && a.equals(DB_PARAM))) {
        problems.add("unknown " + a);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "fujsen "
              + name
              + ": "
              + String.join(", ", problems)
              + " (expected parameters: "
              + (f.params().isEmpty() ? "none" : f.signature())
              + ")");
    }
    return store.query(f.sql(), bound);
  }
}
