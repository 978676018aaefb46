package io.tskotel.collector.web.charts;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Time series for the dashboard's charts, all on one time axis: {@code timestamps} are the starts of the
 * steps (epoch seconds) and every series has one value per step, {@code null} where nothing was reported.
 *
 * @param series by name: {@code cpu}, {@code memory}, {@code disk} (average), {@code active_users}
 *     (maximum), {@code payment_success_rate} (average), {@code revenue}, {@code registrations} (counter
 *     increase in the step), {@code request_rate} (server spans per second), {@code error_rate} (% of server
 *     spans that failed), {@code response_time_avg_ms}, {@code response_time_p95_ms}
 */
public record Charts(
    long fromEpochSecond,
    long toEpochSecond,
    long stepSeconds,
    List<Long> timestamps,
    Map<String, List<@Nullable Double>> series) {

  public Charts {
    timestamps = List.copyOf(requireNonNull(timestamps, "timestamps"));
    Map<String, List<@Nullable Double>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<@Nullable Double>> e : series.entrySet()) {
      // List.copyOf rejects nulls, and a gap is a null.
      copy.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
    }
    series = Collections.unmodifiableMap(copy);
  }
}
