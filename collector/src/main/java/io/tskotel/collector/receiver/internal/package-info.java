/** Implementation of the OTLP receivers; not an API. */
@NullMarked
package io.tskotel.collector.receiver.internal;

import org.jspecify.annotations.NullMarked;
