package io.tskotel.exporter.internal.engine;

import io.tskotel.exporter.StoreException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a ClickHouse error message ({@code Code: 62. DB::Exception: ... (SYNTAX_ERROR) (version ...)}) into
 * a {@link StoreException}. Retryable means the same statement may succeed later without change: the engine
 * was short of memory, parts, time or capacity. Everything else (syntax, unknown table or column, type
 * mismatch, malformed data, readonly) is permanent: retrying cannot help. Both engines share this list
 * because both speak ClickHouse's error codes.
 */
public final class ClickHouseErrors {
  private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

  /**
   * Codes (from ClickHouse's ErrorCodes.cpp) whose cause passes on its own. READONLY (164) is not among
   * them: it is what a read-only statement that tries to write gets, and that never succeeds.
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
    return isRetryable(code(trimmed))
        ? StoreException.retryable(trimmed)
        : StoreException.permanent(trimmed);
  }
}
