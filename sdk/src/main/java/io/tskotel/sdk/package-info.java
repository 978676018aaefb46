/**
 * The drop-in library for Java applications: {@link io.tskotel.sdk.TskTelemetry} turns a TSK file into a
 * configured OpenTelemetry SDK and offers the seed document's functions (metrics, logging, tracing, health) as
 * a Java API. See {@code docs/sdk.md}.
 */
@NullMarked
package io.tskotel.sdk;

import org.jspecify.annotations.NullMarked;
