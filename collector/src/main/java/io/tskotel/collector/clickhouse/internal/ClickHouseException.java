package io.tskotel.collector.clickhouse.internal;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.ClickHouseErrors;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error as a ClickHouse server reports it over HTTP: the code in {@code X-ClickHouse-Exception-Code}, a
 * body {@code Code: N. DB::Exception: message. (NAME) (version V)} that the official clients parse, and the
 * HTTP status ClickHouse maps that code to.
 */
public final class ClickHouseException extends Exception {
  static final int UNKNOWN_SETTING = 115;
  static final int SYNTAX_ERROR = 62;
  static final int BAD_ARGUMENTS = 36;
  static final int UNKNOWN_DATABASE = 81;
  static final int UNKNOWN_FORMAT = 73;
  static final int READONLY = 164;
  static final int REQUIRED_PASSWORD = 194;
  static final int ACCESS_DENIED = 497;
  static final int AUTHENTICATION_FAILED = 516;
  static final int QUERY_IS_TOO_LARGE = 393;
  static final int CANNOT_DECOMPRESS = 271;
  static final int TIMEOUT_EXCEEDED = 159;
  static final int TOO_MANY_SIMULTANEOUS_QUERIES = 202;
  static final int UNKNOWN_EXCEPTION = 1002;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(UNKNOWN_SETTING, "UNKNOWN_SETTING"),
      Map.entry(SYNTAX_ERROR, "SYNTAX_ERROR"),
      Map.entry(BAD_ARGUMENTS, "BAD_ARGUMENTS"),
      Map.entry(UNKNOWN_DATABASE, "UNKNOWN_DATABASE"),
      Map.entry(UNKNOWN_FORMAT, "UNKNOWN_FORMAT"),
      Map.entry(READONLY, "READONLY"),
      Map.entry(REQUIRED_PASSWORD, "REQUIRED_PASSWORD"),
      Map.entry(ACCESS_DENIED, "ACCESS_DENIED"),
      Map.entry(AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"),
      Map.entry(QUERY_IS_TOO_LARGE, "QUERY_IS_TOO_LARGE"),
      Map.entry(CANNOT_DECOMPRESS, "CANNOT_DECOMPRESS"),
      Map.entry(TOO_MANY_SIMULTANEOUS_QUERIES, "TOO_MANY_SIMULTANEOUS_QUERIES"),
      Map.entry(UNKNOWN_EXCEPTION, "UNKNOWN_EXCEPTION"));
  private static final Pattern NAME = Pattern.compile("\\(([A-Z][A-Z0-9_]+)\\)(?: \\(version [^)]*\\))?\\.?\\s*$");

  private final int code;
  private final String body;

  ClickHouseException(int code, String message) {
    super(message);
    this.code = code;
    this.body = "Code: " + code + ". DB::Exception: " + message + ". (" + NAMES.getOrDefault(code, "UNKNOWN_EXCEPTION")
        + ") (version " + ServerInfo.VERSION + ")\n";
  }

  private ClickHouseException(int code, String body, String message) {
    super(message);
    this.code = code;
    this.body = body;
  }

  /** The engine's own error, which already reads like a server's: passed on as it is. */
  static ClickHouseException fromEngine(StoreException e) {
    String message = e.getMessage() == null ? "engine failure" : e.getMessage().strip();
    int code = ClickHouseErrors.code(message);
    if (code < 0) {
      // The engine's own plumbing: a busy pool passes (503, retry), anything else is a server error.
      return new ClickHouseException(e.retryable() ? TOO_MANY_SIMULTANEOUS_QUERIES : UNKNOWN_EXCEPTION, message);
    }
    String body = message.startsWith("Code: ") ? message + "\n" : "Code: " + code + ". DB::Exception: " + message + "\n";
    return new ClickHouseException(code, body, message);
  }

  public int code() {
    return code;
  }

  /** The response body. */
  public String body() {
    return body;
  }

  /** The error's name, e.g. {@code SYNTAX_ERROR}. */
  String codeName() {
    Matcher m = NAME.matcher(body.strip());
    return m.find() ? m.group(1) : NAMES.getOrDefault(code, "UNKNOWN_EXCEPTION");
  }

  /** The HTTP status a ClickHouse server answers this code with. */
  public int httpStatus() {
    return switch (code) {
      case REQUIRED_PASSWORD -> 401;
      case AUTHENTICATION_FAILED, 192 /* UNKNOWN_USER */, 193 /* WRONG_PASSWORD */, READONLY, ACCESS_DENIED -> 403;
      case BAD_ARGUMENTS, SYNTAX_ERROR, 427 /* CANNOT_COMPILE_REGEXP */, 6, 26, 27, 38, 41, 72, 376, 441,
           15 /* DUPLICATE_COLUMN */, 44 /* ILLEGAL_COLUMN */, 8 /* THERE_IS_NO_COLUMN */, 53 /* TYPE_MISMATCH */,
           117 /* INCORRECT_DATA */, 167, 168, 321 /* VALUE_IS_OUT_OF_RANGE */, CANNOT_DECOMPRESS -> 400;
      case 60 /* UNKNOWN_TABLE */, 46 /* UNKNOWN_FUNCTION */, 47 /* UNKNOWN_IDENTIFIER */, 50 /* UNKNOWN_TYPE */,
           56 /* UNKNOWN_STORAGE */, UNKNOWN_DATABASE, UNKNOWN_SETTING, 63, 64, UNKNOWN_FORMAT, 513, 511 -> 404;
      case QUERY_IS_TOO_LARGE -> 413;
      case 48 /* NOT_IMPLEMENTED */ -> 501;
      case 209 /* SOCKET_TIMEOUT */, 76 /* CANNOT_OPEN_FILE */, 439 /* CANNOT_SCHEDULE_TASK */,
           TOO_MANY_SIMULTANEOUS_QUERIES -> 503;
      case TIMEOUT_EXCEEDED -> 408;
      default -> 500;
    };
  }
}
