package io.tskotel.exporter.internal.engine;

import io.tskotel.exporter.StoreException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a ClickHouse error message ({@code Code: 62. DB::Exception: ... (SYNTAX_ERROR) (version ...)}) or
 * code into a {@link StoreException}. Both engines share these lists because both speak ClickHouse's error
 * codes (from ClickHouse's ErrorCodes.cpp).
 *
 * <ul>
 *   <li>Retryable: the same statement may succeed later without change (the engine was short of memory,
 *       parts, time or capacity).
 *   <li>{@link StoreException.Fault#DATA}: the data itself cannot be parsed or converted; only these
 *       dead-letter a write.
 *   <li>{@link StoreException.Fault#STORE}: the store is unfit for writes (missing table or database,
 *       authentication, read-only, disk full, too many parts), and every code not listed: a write is kept
 *       queued rather than thrown away on a guess.
 * </ul>
 */
public final class ClickHouseErrors {
  private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

  /**
   * Codes whose cause passes on its own. READONLY (164) is not among them: it is what a read-only statement
   * that tries to write gets, and that never succeeds.
   */
  private static final Set<Integer> RETRYABLE =
      Set.of(
          159, // TIMEOUT_EXCEEDED
          160, // TOO_SLOW
          202, // TOO_MANY_SIMULTANEOUS_QUERIES
          203, // NO_FREE_CONNECTION
          209, // SOCKET_TIMEOUT
          210, // NETWORK_ERROR
          225, // NO_ZOOKEEPER
          236, // ABORTED
          241, // MEMORY_LIMIT_EXCEEDED
          242, // TABLE_IS_READ_ONLY (a replica lost its keeper session)
          243, // NOT_ENOUGH_SPACE
          252, // TOO_MANY_PARTS
          285, // TOO_FEW_LIVE_REPLICAS
          319, // UNKNOWN_STATUS_OF_INSERT
          394, // QUERY_WAS_CANCELLED
          425, // SYSTEM_ERROR
          439, // CANNOT_SCHEDULE_TASK
          473, // DEADLOCK_AVOIDED
          999 // KEEPER_EXCEPTION
          );

  /** Codes that say the store cannot take writes until someone acts, with the probes' words for them. */
  private static final Map<Integer, String> STORE_FAULTS =
      Map.ofEntries(
          Map.entry(60, "table missing"), // UNKNOWN_TABLE
          Map.entry(81, "database missing"), // UNKNOWN_DATABASE
          Map.entry(16, "table schema differs"), // NO_SUCH_COLUMN_IN_TABLE
          Map.entry(192, "authentication failed"), // UNKNOWN_USER
          Map.entry(193, "authentication failed"), // WRONG_PASSWORD
          Map.entry(194, "authentication failed"), // REQUIRED_PASSWORD
          Map.entry(195, "authentication failed"), // IP_ADDRESS_NOT_ALLOWED
          Map.entry(516, "authentication failed"), // AUTHENTICATION_FAILED
          Map.entry(497, "access denied"), // ACCESS_DENIED
          Map.entry(164, "server is read-only"), // READONLY
          Map.entry(242, "table is read-only"), // TABLE_IS_READ_ONLY
          Map.entry(243, "server disk full"), // NOT_ENOUGH_SPACE
          Map.entry(252, "too many parts"), // TOO_MANY_PARTS
          Map.entry(225, "keeper unavailable"), // NO_ZOOKEEPER
          Map.entry(999, "keeper unavailable"), // KEEPER_EXCEPTION
          Map.entry(285, "too few live replicas"), // TOO_FEW_LIVE_REPLICAS
          Map.entry(241, "server out of memory")); // MEMORY_LIMIT_EXCEEDED

  /** Codes of data the engine cannot parse or convert: no store will ever take that request. */
  private static final Set<Integer> DATA_FAULTS =
      Set.of(
          6, // CANNOT_PARSE_TEXT
          26, // CANNOT_PARSE_QUOTED_STRING
          27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
          32, // ATTEMPT_TO_READ_AFTER_EOF
          33, // CANNOT_READ_ALL_DATA
          38, // CANNOT_PARSE_DATE
          41, // CANNOT_PARSE_DATETIME
          53, // TYPE_MISMATCH
          69, // ARGUMENT_OUT_OF_BOUND
          70, // CANNOT_CONVERT_TYPE
          72, // CANNOT_PARSE_NUMBER
          117, // INCORRECT_DATA
          128, // TOO_LARGE_ARRAY_SIZE
          131, // TOO_LARGE_STRING_SIZE
          190, // SIZES_OF_ARRAYS_DONT_MATCH
          321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
          349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
          376 // CANNOT_PARSE_UUID
          );

  private ClickHouseErrors() {}

  /** The error code in {@code message}, or -1 when it names none. */
  public static int code(String message) {
    Matcher m = CODE.matcher(message);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  public static boolean isRetryable(int code) {
    return RETRYABLE.contains(code);
  }

  /** A message without a code (the engine's own plumbing failed in an unknown way) is permanent. */
  public static StoreException classify(String message) {
    String trimmed = message.strip();
    return classify(code(trimmed), isRetryable(code(trimmed)), trimmed, null);
  }

  /**
   * The exception for ClickHouse error {@code code} (-1: none), {@code retryable} as the caller decided
   * (transports add their own retryable cases).
   */
  public static StoreException classify(int code, boolean retryable, String message, @Nullable Throwable cause) {
    String storeFault = STORE_FAULTS.get(code);
    if (storeFault != null) {
      return StoreException.storeFault(storeFault, message, retryable, cause);
    }
    if (retryable) {
      return StoreException.retryable(message, cause);
    }
    if (DATA_FAULTS.contains(code)) {
      return StoreException.permanent(message, cause);
    }
    return StoreException.storeFault(
        code < 0 ? "unexpected store error" : "unexpected store error " + code, message, false, cause);
  }
}
