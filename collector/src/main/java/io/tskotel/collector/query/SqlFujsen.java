package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.query.internal.SqlScanner;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A fujsen whose body is a ClickHouse query: {@code NAME_fujsen = '''SELECT … WHERE x = {x:String}'''}. Its
 * {@code {name:Type}} placeholders are its parameters; callers pass their values as text and the engine binds
 * and converts them. It runs read-only with time and row limits (see {@link SqlFujsens}).
 *
 * @param params parameter name to ClickHouse type
 */
public record SqlFujsen(String section, String name, String sql, Map<String, String> params) {

  public SqlFujsen {
    requireNonNull(section, "section");
    requireNonNull(name, "name");
    requireNonNull(sql, "sql");
    params = Map.copyOf(requireNonNull(params, "params"));
  }

  /** Whether a fujsen body is a query (its first word is SELECT or WITH) rather than code. */
  public static boolean isQuery(String body) {
    String first = SqlScanner.scan(body).firstKeyword().toUpperCase(Locale.ROOT);
    return first.equals("SELECT") || first.equals("WITH");
  }

  /**
   * The query in {@code body}, or empty when the body is not a query.
   *
   * @throws IllegalArgumentException when the body holds more than one statement or declares a parameter
   *     with two types
   */
  public static Optional<SqlFujsen> parse(String section, String name, String body) {
    requireNonNull(body, "body");
    SqlScanner.Scan scan;
    try {
      scan = SqlScanner.scan(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(section + "." + name + "_fujsen: " + e.getMessage(), e);
    }
    String first = scan.firstKeyword().toUpperCase(Locale.ROOT);
    if (!first.equals("SELECT") && !first.equals("WITH")) {
      return Optional.empty();
    }
    if (scan.multipleStatements()) {
      throw new IllegalArgumentException(
          section + "." + name + "_fujsen: holds more than one statement (expected: one SELECT or WITH query)");
    }
    String sql = body.strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    return Optional.of(new SqlFujsen(section, name, sql, scan.placeholders()));
  }

  /** {@code {a:String}, {b:UInt32}}, for error messages and listings. */
  public String signature() {
    StringBuilder sb = new StringBuilder();
    params.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              if (!sb.isEmpty()) {
                sb.append(", ");
              }
              sb.append('{').append(e.getKey()).append(':').append(e.getValue()).append('}');
            });
    return sb.toString();
  }
}
