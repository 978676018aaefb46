package io.tskotel.exporter.internal.schema;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL resource file of the schema, rendered for given {@link SchemaSettings}. The file holds
 * statements ending in {@code ;} at the end of a line; a statement after a {@code -- @cluster} line exists
 * only on a cluster, one after a {@code -- @single} line only on a single server; {@code -- @requires-setting
 * name} lines name MergeTree settings the whole file needs ({@link #requiredSettings}). Placeholders take nothing
 * but validated identifiers and numbers:
 *
 * <ul>
 *   <li>{@code ${db}} the database; {@code ${db_literal}} as a string literal
 *   <li>{@code ${on_cluster}} {@code ON CLUSTER name} on a cluster, else nothing
 *   <li>{@code ${cluster_literal}} the cluster name as a string literal
 *   <li>{@code ${engine}} the configured MergeTree-family engine with its parameters; {@code ${engine:Summing}}
 *       its summing variant ({@code SummingMergeTree}, {@code ReplicatedSummingMergeTree}, ...)
 *   <li>{@code ${table:t}} where table t's rows live: {@code db.t}, or {@code db.t_local} on a cluster
 *   <li>{@code ${dist:t}} the Distributed table over t's local tables: {@code db.t}
 *   <li>{@code ${local_literal:t}} the local table's name as a string literal
 *   <li>{@code ${ttl:signal:column}} {@code TTL toDateTime(column) + toIntervalDay(n)}, or nothing
 * </ul>
 */
public final class SqlTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)(?::([A-Za-z0-9_]+))?(?::([A-Za-z0-9_]+))?}");
  static final String LOCAL_SUFFIX = "_local";
  private static final String REQUIRES_SETTING = "-- @requires-setting ";

  private final String name;
  private final String text;

  private SqlTemplate(String name, String text) {
    this.name = name;
    this.text = text;
  }

  public static SqlTemplate of(String name, String text) {
    return new SqlTemplate(requireNonNull(name, "name"), requireNonNull(text, "text"));
  }

  /** Loads {@code io/tskotel/exporter/schema/<file>} from the classpath. */
  public static SqlTemplate resource(String file) {
    String path = "/io/tskotel/exporter/schema/" + file;
    try (InputStream in = SqlTemplate.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing: " + path);
      }
      return of(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path, e);
    }
  }

  public String name() {
    return name;
  }

  /**
   * The MergeTree settings the file's statements need ({@code -- @requires-setting name} lines): a server
   * that does not know one of them cannot run the file (an unknown setting fails the whole statement).
   */
  public List<String> requiredSettings() {
    List<String> out = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith(REQUIRES_SETTING)) {
        out.add(trimmed.substring(REQUIRES_SETTING.length()).strip());
      }
    }
    return out;
  }

  /** The file as it is, for checksums. */
  public String text() {
    return text;
  }

  /** The statements this file means for {@code settings}, in order, without trailing {@code ;}. */
  public List<String> render(SchemaSettings settings) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean clusterOnly = false;
    boolean singleOnly = false;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        if (trimmed.equals("-- @cluster")) {
          clusterOnly = true;
        } else if (trimmed.equals("-- @single")) {
          singleOnly = true;
        }
        continue;
      }
      if (trimmed.isEmpty() && current.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(line, 0, line.lastIndexOf(';'));
        if (clusterOnly ? settings.clustered() : !singleOnly || !settings.clustered()) {
          out.add(substitute(current.toString(), settings).strip());
        }
        current.setLength(0);
        clusterOnly = false;
        singleOnly = false;
      } else {
        current.append(line).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException(name + ": last statement does not end with ';'");
    }
    return out;
  }

  private String substitute(String statement, SchemaSettings s) {
    Matcher m = PLACEHOLDER.matcher(statement);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(expand(m.group(1), m.group(2), m.group(3), s)));
    }
    m.appendTail(sb);
    String result = sb.toString();
    if (result.contains("${")) {
      throw new IllegalStateException(name + ": unknown placeholder in: " + result);
    }
    // Lines left empty by an absent TTL or cluster clause.
    return result.replaceAll("\n[ \t]*\n", "\n");
  }

  private String expand(String key, String arg, String arg2, SchemaSettings s) {
    String db = quote(s.database());
    return switch (key) {
      case "db" -> db;
      case "db_literal" -> literal(s.database());
      case "on_cluster" -> s.clustered() ? " ON CLUSTER " + quote(s.cluster()) : "";
      case "cluster_literal" -> literal(requireCluster(key, s));
      case "engine" -> engine(s, arg);
      case "table" -> db + "." + quote(table(arg, key) + (s.clustered() ? LOCAL_SUFFIX : ""));
      case "dist" -> {
        requireCluster(key, s);
        yield db + "." + quote(table(arg, key));
      }
      case "local_literal" -> literal(table(arg, key) + LOCAL_SUFFIX);
      case "ttl" -> ttl(s, arg, arg2);
      default -> throw new IllegalStateException(name + ": unknown placeholder ${" + key + "}");
    };
  }

  private String table(String arg, String key) {
    if (arg == null) {
      throw new IllegalStateException(name + ": ${" + key + ":table} needs a table");
    }
    return Identifiers.requireIdentifier("table", arg);
  }

  private String requireCluster(String key, SchemaSettings s) {
    if (s.cluster() == null) {
      throw new IllegalStateException(name + ": ${" + key + "} outside a -- @cluster statement");
    }
    return s.cluster();
  }

  private String engine(SchemaSettings s, String variant) {
    StringBuilder sb = new StringBuilder(variant == null ? s.engineName() : variant(s.engineName(), variant)).append('(');
    for (int i = 0; i < s.engineParams().size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(literal(s.engineParams().get(i)));
    }
    return sb.append(')').toString();
  }

  /**
   * {@code MergeTree} → {@code <variant>MergeTree}, {@code ReplicatedMergeTree} → {@code
   * Replicated<variant>MergeTree}: the configured engine's family with another merge behaviour. Another
   * configured engine (e.g. a Replacing one) is kept as it is: the variant only compacts rows, readers
   * aggregate them either way.
   */
  private String variant(String engineName, String variant) {
    if (!variant.equals("Summing")) {
      throw new IllegalStateException(name + ": unknown engine variant ${engine:" + variant + "}");
    }
    for (String family : List.of("", "Replicated", "Shared")) {
      if (engineName.equals(family + "MergeTree")) {
        return family + variant + "MergeTree";
      }
    }
    return engineName;
  }

  private String ttl(SchemaSettings s, String signal, String column) {
    if (signal == null || column == null || !SchemaSettings.SIGNALS.contains(signal)) {
      throw new IllegalStateException(name + ": ${ttl:signal:column} with signal in " + SchemaSettings.SIGNALS);
    }
    String expr = ttlExpression(s.ttls().getOrDefault(signal, Duration.ZERO), column);
    return expr.isEmpty() ? "" : "TTL " + expr;
  }

  /** {@code toDateTime(column) + toIntervalDay(n)} in the largest whole unit, or "" for no TTL. */
  public static String ttlExpression(Duration ttl, String column) {
    long seconds = ttl.toSeconds();
    if (seconds <= 0) {
      return "";
    }
    Identifiers.requireIdentifier("column", column);
    String interval;
    if (seconds % 86400 == 0) {
      interval = "toIntervalDay(" + seconds / 86400 + ")";
    } else if (seconds % 3600 == 0) {
      interval = "toIntervalHour(" + seconds / 3600 + ")";
    } else if (seconds % 60 == 0) {
      interval = "toIntervalMinute(" + seconds / 60 + ")";
    } else {
      interval = "toIntervalSecond(" + seconds + ")";
    }
    return "toDateTime(" + column + ") + " + interval;
  }

  private static String quote(String identifier) {
    return '`' + identifier + '`';
  }

  // Only ever given validated identifiers and engine parameters, which hold no quote or backslash.
  private static String literal(String value) {
    return '\'' + value + '\'';
  }
}
