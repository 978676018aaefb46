package io.tskotel.collector.clickhouse.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One request's SQL, checked before the engine sees it: exactly one statement (chDB runs a text with
 * several as a script, and ends an INSERT's inline data at a blank line, after which the next statement
 * runs), nothing that reaches outside the process (url, file, remote, s3, INTO OUTFILE...), no session
 * state on pooled connections (SET, USE, temporary tables). An INSERT is split into the statement the
 * engine streams into and the data that follows it, which never reaches the engine's SQL parser.
 *
 * <p>The text is scanned as ISO-8859-1, so a character index is a byte index into the request: only ASCII
 * matters to the scan, and the data of an INSERT starts at an exact byte.
 */
public final class Statement {
  /**
   * Table functions, table and database engines and dictionary sources that read or write outside the
   * process (files, URLs, other servers, programs). Matched case-insensitively wherever one is called.
   */
  static final Set<String> OUTSIDE = Set.of(
      "url", "urlcluster", "file", "filecluster", "remote", "remotesecure", "cluster", "clusterallreplicas",
      "s3", "s3cluster", "gcs", "oss", "cosn", "azureblobstorage", "azureblobstoragecluster", "hdfs",
      "hdfscluster", "mysql", "postgresql", "materializedpostgresql", "materializedmysql", "sqlite",
      "mongodb", "redis", "jdbc", "odbc", "executable", "executablepool", "hive", "iceberg", "icebergs3",
      "icebergazure", "iceberghdfs", "iceberglocal", "icebergcluster", "icebergs3cluster", "deltalake",
      "deltalakecluster", "deltalakelocal", "deltalakes3", "deltalakeazure", "hudi", "hudicluster", "paimon",
      "paimons3", "paimonlocal", "paimonazure", "paimonhdfs", "kafka", "rabbitmq", "nats", "filelog",
      "distributed", "http", "https", "clickhouse", "cassandra", "disk", "arrowflight", "ytsaurus",
      "filesystem", "dictionary_source", "prometheusquery", "prometheusqueryrange", "zookeeper",
      "azurequeue", "s3queue", "keepermap", "embeddedrocksdb", "mergetreeindex", "datalakecatalog",
      "infile", "outfile", "readfile");
  /** Statements that change the connection's session or the server itself, or read and write files. */
  static final Set<String> REFUSED_KINDS = Set.of(
      "SET", "USE", "SYSTEM", "KILL", "BACKUP", "RESTORE", "ATTACH", "DETACH", "BEGIN", "COMMIT",
      "ROLLBACK", "START", "INSTALL", "GRANT", "REVOKE", "EXECUTE", "UNDROP");
  /** Statements a read-only user may run; the engine's {@code readonly=1} is what enforces it. */
  static final Set<String> READ_KINDS = Set.of("SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN",
      "EXISTS", "CHECK", "(");

  private final String kind;
  private final String sql;
  private final @Nullable String format;
  private final @Nullable String insertPrefix;
  private final int dataOffset;

  private Statement(String kind, String sql, @Nullable String format, @Nullable String insertPrefix,
      int dataOffset) {
    this.kind = kind;
    this.sql = sql;
    this.format = format;
    this.insertPrefix = insertPrefix;
    this.dataOffset = dataOffset;
  }

  /** The first keyword in upper case, e.g. {@code SELECT}, {@code INSERT}, {@code CREATE}. */
  public String kind() {
    return kind;
  }

  /** The statement as text, without a trailing {@code ;} or an INSERT's data. */
  public String sql() {
    return sql;
  }

  /** The FORMAT clause's format, or null when the statement names none. */
  public @Nullable String format() {
    return format;
  }

  /** True for {@code INSERT ... FORMAT x} and {@code INSERT ... VALUES}: data follows the statement. */
  public boolean isDataInsert() {
    return insertPrefix != null;
  }

  /** {@code INSERT INTO t [(columns)] [SETTINGS ...]} without FORMAT, for the engine's stream insert. */
  public @Nullable String insertPrefix() {
    return insertPrefix;
  }

  /** Where the data starts in the scanned bytes (at their end when the data comes separately). */
  public int dataOffset() {
    return dataOffset;
  }

  public boolean isRead() {
    return READ_KINDS.contains(kind);
  }

  /**
   * Scans {@code bytes} (the query text, possibly followed by an INSERT's inline data).
   *
   * @param inlineDataChecked true when data following an INSERT in these bytes came in the query text
   *     itself (not as a separate body): it must not hold a blank line followed by more text
   * @throws ClickHouseException with ClickHouse's code for what is refused
   */
  public static Statement parse(byte[] bytes, int length, boolean inlineDataChecked) throws ClickHouseException {
    String text = new String(bytes, 0, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    List<Token> tokens = new ArrayList<>();
    int end = scan(text, tokens, true);
    if (tokens.isEmpty()) {
      throw new ClickHouseException(ClickHouseException.SYNTAX_ERROR, "Empty query");
    }
    String kind = tokens.get(0).word ? tokens.get(0).upper(text) : tokens.get(0).text(text);
    if (REFUSED_KINDS.contains(kind)) {
      throw new ClickHouseException(ClickHouseException.ACCESS_DENIED,
          kind + " statements are not available through this endpoint (each request runs alone, without a"
              + " session, on the embedded engine)");
    }
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is(text, '(')) {
        depth++;
      } else if (t.is(text, ')')) {
        depth--;
      }
      if (!t.word) {
        continue;
      }
      String upper = t.upper(text);
      boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is(text, '(');
      String lower = upper.toLowerCase(Locale.ROOT);
      if ((call && OUTSIDE.contains(lower)) || upper.equals("INFILE") || upper.equals("OUTFILE")) {
        throw new ClickHouseException(ClickHouseException.ACCESS_DENIED,
            t.text(text) + (call ? "()" : "") + " reaches outside the engine and is not available through this"
                + " endpoint");
      }
      if (upper.equals("TEMPORARY")) {
        throw new ClickHouseException(ClickHouseException.ACCESS_DENIED,
            "temporary tables are not available through this endpoint (requests have no session)");
      }
      if (kind.equals("INSERT") && depth == 0) {
        if (upper.equals("FORMAT") && i + 1 < tokens.size() && tokens.get(i + 1).word) {
          Token name = tokens.get(i + 1);
          int data = dataStart(text, name.end);
          checkInlineData(text, data, length, inlineDataChecked);
          if (name.upper(text).equals("VALUES")) {
            checkValuesEnd(text, data, length, inlineDataChecked);
          }
          return new Statement(kind, utf8(bytes, 0, name.end), name.text(text),
              utf8(bytes, 0, t.start).strip(), data);
        }
        if (upper.equals("VALUES") && i + 1 < tokens.size() && tokens.get(i + 1).is(text, '(')) {
          checkInlineData(text, t.end, length, inlineDataChecked);
          checkValuesEnd(text, t.end, length, inlineDataChecked);
          return new Statement(kind, utf8(bytes, 0, t.end), "Values", utf8(bytes, 0, t.start).strip(), t.end);
        }
      }
    }
    // Not an INSERT with data: everything after the statement's ';' must be blank.
    String format = null;
    int n = tokens.size();
    if (n >= 2 && tokens.get(n - 2).word && tokens.get(n - 2).upper(text).equals("FORMAT") && tokens.get(n - 1).word) {
      format = tokens.get(n - 1).text(text);
    }
    return new Statement(kind, utf8(bytes, 0, end), format, null, length);
  }

  /** ClickHouse's inline data starts after the format name, its blanks and one line break. */
  private static int dataStart(String text, int from) {
    int i = from;
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    if (i < text.length() && text.charAt(i) == '\r') {
      i++;
    }
    if (i < text.length() && text.charAt(i) == '\n') {
      i++;
    }
    return i;
  }

  /**
   * chDB ends inline INSERT data at a blank line and runs what follows as the next statement; a server
   * would read it as data. Either way it is not what the client meant, so it is refused.
   */
  private static void checkInlineData(String text, int from, int length, boolean check) throws ClickHouseException {
    if (!check) {
      return;
    }
    int blank = blankLine(text, from, length);
    if (blank >= 0) {
      for (int i = blank; i < length; i++) {
        if (!Character.isWhitespace(text.charAt(i))) {
          throw new ClickHouseException(ClickHouseException.SYNTAX_ERROR,
              "Multi-statements are not allowed: inline INSERT data continues after a blank line (send the"
                  + " data as the request body, with the INSERT in the query parameter)");
        }
      }
    }
  }

  /** Values data ends at a {@code ;}; anything after it would be another statement. */
  private static void checkValuesEnd(String text, int from, int length, boolean check) throws ClickHouseException {
    if (!check) {
      return;
    }
    for (int i = from; i < length; i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = quoted(text, i, c) - 1;
      } else if (c == ';') {
        for (int j = i + 1; j < length; j++) {
          if (!Character.isWhitespace(text.charAt(j)) && text.charAt(j) != ';') {
            throw new ClickHouseException(ClickHouseException.SYNTAX_ERROR,
                "Multi-statements are not allowed: text follows the ';' that ends the VALUES data");
          }
        }
        return;
      }
    }
  }

  private static int blankLine(String text, int from, int length) {
    for (int i = Math.max(from, 1); i < length; i++) {
      if (text.charAt(i) == '\n') {
        int j = i - 1;
        while (j >= from && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) {
          j--;
        }
        if (j >= from && text.charAt(j) == '\n') {
          return i + 1;
        }
      }
    }
    return -1;
  }

  private static String utf8(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Splits {@code text} into tokens up to the first top-level {@code ;}, after which only blanks and
   * comments may follow. Returns the end of the statement. Strings, quoted names and comments are skipped
   * whole, so a {@code ;} inside them does not count.
   */
  private static int scan(String text, List<Token> tokens, boolean single) throws ClickHouseException {
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        i = lineEnd(text, i);
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        int start = i;
        i = quoted(text, i, c);
        tokens.add(new Token(start, i, false));
      } else if (c == ';') {
        int statementEnd = i;
        if (tokens.size() > 0 && isInsertWithData(text, tokens)) {
          // INSERT ... FORMAT x; data: let the caller find the data; the ';' is data.
          tokens.add(new Token(i, i + 1, false));
          i++;
          continue;
        }
        i++;
        while (i < n) {
          char d = text.charAt(i);
          if (Character.isWhitespace(d) || d == ';') {
            i++;
          } else if (d == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
            i = lineEnd(text, i);
          } else if (d == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
            int close = text.indexOf("*/", i + 2);
            i = close < 0 ? n : close + 2;
          } else {
            throw new ClickHouseException(ClickHouseException.SYNTAX_ERROR,
                "Multi-statements are not allowed: one statement per request");
          }
        }
        return statementEnd;
      } else if (Character.isLetter(c) || c == '_' || c >= 0x80) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) >= 0x80)) {
          i++;
        }
        tokens.add(new Token(start, i, true));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
          i++;
        }
        tokens.add(new Token(start, i, false));
      } else {
        tokens.add(new Token(i, i + 1, false));
        i++;
      }
    }
    return n;
  }

  /** An INSERT whose FORMAT name or VALUES has been seen: what follows is data, not SQL. */
  private static boolean isInsertWithData(String text, List<Token> tokens) {
    if (!tokens.get(0).word || !tokens.get(0).upper(text).equals("INSERT")) {
      return false;
    }
    for (int i = 1; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.word && (t.upper(text).equals("VALUES") || (t.upper(text).equals("FORMAT") && i + 1 < tokens.size()))) {
        return true;
      }
    }
    return false;
  }

  private static int lineEnd(String text, int i) {
    int nl = text.indexOf('\n', i);
    return nl < 0 ? text.length() : nl + 1;
  }

  private static int quoted(String text, int i, char quote) {
    int n = text.length();
    i++;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && text.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  private record Token(int start, int end, boolean word) {
    String text(String s) {
      return s.substring(start, end);
    }

    String upper(String s) {
      return text(s).toUpperCase(Locale.ROOT);
    }

    boolean is(String s, char c) {
      return end == start + 1 && s.charAt(start) == c;
    }
  }
}
