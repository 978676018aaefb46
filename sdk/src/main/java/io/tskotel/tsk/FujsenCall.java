package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of a fujsen.
 *
 * @param config the configuration the fujsen is declared in (its thresholds, endpoints, ...)
 * @param section the declaring section
 * @param name the fujsen name
 * @param body the declared body text (kept as reference, never executed)
 * @param args the call arguments (may contain null)
 */
public record FujsenCall(
    Tsk config, String section, String name, String body, List<@Nullable Object> args) {
  public FujsenCall {
    requireNonNull(config, "config");
    requireNonNull(section, "section");
    requireNonNull(name, "name");
    requireNonNull(body, "body");
    requireNonNull(args, "args");
  }

  /** Argument {@code index}, or {@code defaultValue} when the call passed fewer arguments. */
  public @Nullable Object arg(int index, @Nullable Object defaultValue) {
    return index < args.size() ? args.get(index) : defaultValue;
  }
}
