package io.tskotel.tsk;

import org.jspecify.annotations.Nullable;

/** The Java implementation of a fujsen, registered by name in a {@link FujsenRegistry}. */
@FunctionalInterface
public interface FujsenFunction {
  @Nullable Object call(FujsenCall call);
}
