/** Implementation of {@link io.tskotel.sdk.TskTelemetry}; not an API, may change without notice. */
@NullMarked
package io.tskotel.sdk.internal;

import org.jspecify.annotations.NullMarked;
