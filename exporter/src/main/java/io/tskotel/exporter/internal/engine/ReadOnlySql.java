package io.tskotel.exporter.internal.engine;

import io.tskotel.exporter.StoreException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A first check on user-written read-only SQL, before it reaches either engine: no table function (or
 * {@code file()}) that reaches outside the store, and no {@code SETTINGS} clause, since the limits are the
 * collector's. The engines hold the statement to reading on their own ({@code readonly=1}, which also
 * forbids table functions and settings changes); this check makes the refusal the same, early and clear on
 * both, whatever a server's own configuration allows.
 */
public final class ReadOnlySql {
  /** String literals and comments mean nothing here; quoted identifiers keep their name. */
  private static final Pattern LITERALS_AND_COMMENTS = Pattern.compile(
      "'(?:[^'\\\\]|\\\\.|'')*'|--[^\\n]*|#[^\\n]*|/\\*.*?\\*/|`((?:[^`\\\\]|\\\\.)*)`|\"((?:[^\"\\\\]|\\\\.)*)\"",
      Pattern.DOTALL);

  private static final Pattern OUTSIDE = Pattern.compile(
      "(?<![\\w.$])(url|urlCluster|file|fileCluster|remote|remoteSecure|cluster|clusterAllReplicas|s3|s3Cluster"
          + "|gcs|oss|cosn|azureBlobStorage|azureBlobStorageCluster|hdfs|hdfsCluster|mysql|postgresql|mongodb"
          + "|redis|sqlite|jdbc|odbc|executable|input|iceberg\\w*|deltaLake\\w*|hudi\\w*|paimon\\w*"
          + "|arrowFlight|ytsaurus)\\s*\\(",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern SETTINGS = Pattern.compile(
      "(?<![\\w.$])SETTINGS\\s+[A-Za-z_]\\w*\\s*=", Pattern.CASE_INSENSITIVE);

  private ReadOnlySql() {}

  /** Refuses (permanently) what read-only SQL may not do. */
  public static void check(String sql) throws StoreException {
    String code = withoutLiterals(sql);
    Matcher outside = OUTSIDE.matcher(code);
    if (outside.find()) {
      throw StoreException.permanent("read-only SQL may not use " + outside.group(1).toLowerCase(Locale.ROOT)
          + "(): it reaches outside the store");
    }
    if (SETTINGS.matcher(code).find()) {
      throw StoreException.permanent(
          "read-only SQL may not carry a SETTINGS clause: its limits are the collector's (storage.query_timeout,"
              + " storage.max_result_rows)");
    }
  }

  private static String withoutLiterals(String sql) {
    Matcher m = LITERALS_AND_COMMENTS.matcher(sql);
    StringBuilder out = new StringBuilder(sql.length());
    while (m.find()) {
      String identifier = m.group(1) != null ? m.group(1) : m.group(2);
      m.appendReplacement(out, Matcher.quoteReplacement(identifier != null ? identifier : " "));
    }
    m.appendTail(out);
    return out.toString();
  }
}
