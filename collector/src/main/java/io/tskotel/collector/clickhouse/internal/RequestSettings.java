package io.tskotel.collector.clickhouse.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The engine settings a request asks for in its URL parameters, checked against what its user may set.
 * A ClickHouse server lets a {@code readonly=1} user change no setting at all; the official clients send
 * a few on every request, so the ones that only shape the output (or tighten a limit) are allowed and
 * applied before {@code readonly=1} locks the rest. Anything that could lift the store's limits or reach
 * outside is refused.
 */
final class RequestSettings {
  /** Parameters the HTTP protocol itself consumes: never engine settings. */
  static final Set<String> PROTOCOL = Set.of(
      "query", "database", "default_format", "query_id", "user", "password", "quota_key", "session_id",
      "session_timeout", "session_check", "compress", "decompress", "enable_http_compression",
      "http_zlib_compression_level", "wait_end_of_query", "send_progress_in_http_headers",
      "http_headers_progress_interval_ms", "buffer_size", "add_http_cors_header",
      "cancel_http_readonly_queries_on_client_close", "http_response_buffer_size", "client_protocol_version",
      "http_native_compression_disable_checksumming_on_decompress", "role", "default_session_timeout",
      "http_wait_end_of_query", "output_format_parallel_formatting", "max_query_size");

  /** Settings that only shape a result or a session's clock: anyone may set them. */
  static final Set<String> OUTPUT = Set.of(
      "output_format_json_quote_64bit_integers", "output_format_json_quote_64bit_floats",
      "output_format_json_quote_denormals", "output_format_json_quote_decimals",
      "output_format_json_named_tuples_as_objects", "output_format_json_array_of_rows",
      "output_format_json_validate_utf8", "output_format_json_escape_forward_slashes",
      "output_format_json_map_as_array_of_tuples", "output_format_write_statistics",
      "output_format_decimal_trailing_zeros", "output_format_csv_crlf_end_of_line",
      "output_format_tsv_crlf_end_of_line", "output_format_pretty_max_rows", "output_format_pretty_color",
      "output_format_pretty_row_numbers", "output_format_native_encode_types_in_binary_format",
      "output_format_binary_encode_types_in_binary_format", "output_format_binary_write_json_as_string",
      "output_format_native_write_json_as_string", "output_format_arrow_string_as_string",
      "output_format_parquet_string_as_string", "output_format_parquet_compression_method",
      "output_format_json_pretty_print", "date_time_output_format", "format_csv_delimiter",
      "format_tsv_null_representation", "format_csv_null_representation", "session_timezone",
      "join_use_nulls", "extremes", "max_block_size", "log_comment", "enable_analyzer",
      "allow_experimental_analyzer", "use_client_time_zone", "allow_experimental_object_type",
      "allow_experimental_json_type", "allow_experimental_variant_type", "allow_experimental_dynamic_type",
      "output_format_native_use_flattened_dynamic_and_json_serialization", "final", "send_logs_level");

  /** Limits a read-only user may only tighten (to at most the store's) and a writer may set freely. */
  static final Set<String> LIMITS = Set.of("max_execution_time", "max_result_rows", "max_rows_to_read",
      "max_bytes_to_read", "max_result_bytes", "max_memory_usage", "readonly", "result_overflow_mode");

  /** Settings only for writing. */
  static final List<String> WRITER_PREFIXES = List.of("input_format_", "allow_experimental_", "allow_suspicious_");
  static final Set<String> WRITER = Set.of("date_time_input_format", "insert_deduplicate", "async_insert",
      "wait_for_async_insert", "mutations_sync", "alter_sync", "max_insert_block_size", "insert_null_as_default",
      "flatten_nested", "allow_nullable_key", "max_partitions_per_insert_block", "distributed_ddl_task_timeout");

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,127}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.:/+\\-, ]{0,256}");

  private RequestSettings() {}

  /**
   * The engine settings for one request: the ones it asked for (checked), its database, and for the
   * read-only user the store's limits and {@code readonly=1} (a GET from the writer gets {@code readonly=2},
   * as on a server).
   */
  static Map<String, String> resolve(Map<String, String> requested, Users.Role role, boolean get,
      String database, Duration maxExecutionTime, long maxResultRows) throws ClickHouseException {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("database", database);
    boolean readOnly = role == Users.Role.READ_ONLY;
    for (Map.Entry<String, String> e : requested.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (!NAME.matcher(name).matches()) {
        throw new ClickHouseException(ClickHouseException.UNKNOWN_SETTING, "Unknown setting '" + clip(name) + "'");
      }
      if (!VALUE.matcher(value).matches()) {
        throw new ClickHouseException(ClickHouseException.BAD_ARGUMENTS,
            "Setting " + name + ": value not accepted by this endpoint (expected letters, digits and _ . : / + - ,)");
      }
      if (OUTPUT.contains(name)) {
        settings.put(name, value);
      } else if (LIMITS.contains(name)) {
        if (readOnly) {
          checkTightening(name, value, maxExecutionTime, maxResultRows);
          // readonly and result_overflow_mode are set below, to what the read-only user always gets.
          if (!name.equals("readonly") && !name.equals("result_overflow_mode")) {
            settings.put(name, value);
          }
        } else {
          settings.put(name, value);
        }
      } else if (!readOnly && (WRITER.contains(name) || WRITER_PREFIXES.stream().anyMatch(name::startsWith))) {
        settings.put(name, value);
      } else if (readOnly) {
        throw new ClickHouseException(ClickHouseException.READONLY,
            "Cannot modify '" + name + "' setting in readonly mode");
      } else {
        throw new ClickHouseException(ClickHouseException.READONLY,
            "Cannot modify '" + name + "' setting through this endpoint (see docs/clickhouse-http.md for the"
                + " settings it accepts)");
      }
    }
    if (readOnly) {
      settings.putIfAbsent("max_execution_time", seconds(maxExecutionTime));
      settings.putIfAbsent("max_result_rows", Long.toString(maxResultRows));
      settings.put("result_overflow_mode", "throw");
      settings.put("readonly", "1");
    } else if (get && !settings.containsKey("readonly")) {
      settings.put("readonly", "2");
    }
    return settings;
  }

  /** The read-only user may lower a limit, never raise it above the store's or turn one off. */
  private static void checkTightening(String name, String value, Duration maxExecutionTime, long maxResultRows)
      throws ClickHouseException {
    boolean ok = switch (name) {
      case "readonly" -> value.equals("1") || value.equals("2");
      case "result_overflow_mode" -> value.equals("throw");
      case "max_execution_time" -> positiveAtMost(value, new BigDecimal(seconds(maxExecutionTime)));
      case "max_result_rows" -> positiveAtMost(value, BigDecimal.valueOf(maxResultRows));
      default -> positiveAtMost(value, null);
    };
    if (!ok) {
      throw new ClickHouseException(ClickHouseException.READONLY,
          "Cannot modify '" + name + "' setting in readonly mode (only to a value within the store's limits)");
    }
  }

  private static boolean positiveAtMost(String value, BigDecimal max) {
    try {
      BigDecimal v = new BigDecimal(value);
      return v.signum() > 0 && (max == null || v.compareTo(max) <= 0);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
