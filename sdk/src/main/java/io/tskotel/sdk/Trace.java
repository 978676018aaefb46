package io.tskotel.sdk;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/**
 * A span started by {@link TskTelemetry#startTrace}: the seed's span dictionary, with W3C trace and span ids.
 * Make it current ({@code try (Scope s = trace.makeCurrent())}) so logs and child traces started inside carry its
 * ids. Ended once by {@link TskTelemetry#endTrace}.
 */
public final class Trace {
  final Span span;
  final String operationName;
  final Attributes operation;
  final long startNanos;
  final boolean enabled;
  volatile boolean ended;

  Trace(Span span, String operationName, Attributes operation, long startNanos, boolean enabled) {
    this.span = span;
    this.operationName = operationName;
    this.operation = operation;
    this.startNanos = startNanos;
    this.enabled = enabled;
  }

  /** 32 hex digits; all zeros when tracing is off ({@code trace_enabled: false}). */
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  /** 16 hex digits; all zeros when tracing is off. */
  public String spanId() {
    return span.getSpanContext().getSpanId();
  }

  public String operationName() {
    return operationName;
  }

  /** Whether the sampler kept this trace (it is exported). */
  public boolean isSampled() {
    return span.getSpanContext().isSampled();
  }

  /** The OpenTelemetry span, for anything this class does not cover (events, links, ...). */
  public Span span() {
    return span;
  }

  /** Makes this trace current on this thread until the scope closes. */
  public Scope makeCurrent() {
    return span.makeCurrent();
  }

  @Override
  public String toString() {
    return "Trace{" + operationName + ", trace_id=" + traceId() + ", span_id=" + spanId() + "}";
  }
}
