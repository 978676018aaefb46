package io.tskotel.collector.receiver;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Whether the receivers take new requests now: asked before a request's body is read, so a collector short of
 * memory refuses (retryably) instead of reading more. The memory guard is one.
 */
public interface Throttle {

  /** Never refuses. */
  Throttle NONE = () -> null;

  /** Null to take the request; else a few fixed words saying why not, shown to the client. */
  @Nullable String refusal();

  /** The wait suggested to a refused client. */
  default Duration retryAfter() {
    return Duration.ofSeconds(1);
  }
}
