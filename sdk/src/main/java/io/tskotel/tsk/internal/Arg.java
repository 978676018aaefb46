package io.tskotel.tsk.internal;

import org.jspecify.annotations.Nullable;

/** An evaluated operator argument and the token it starts at (for error positions). */
record Arg(@Nullable Object value, Token token) {}
