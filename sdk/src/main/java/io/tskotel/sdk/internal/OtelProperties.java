package io.tskotel.sdk.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TSK settings as OpenTelemetry autoconfigure properties ({@code otel.*}). They are handed to autoconfigure as
 * defaults, so {@code -Dotel.*} system properties and {@code OTEL_*} environment variables override them, as
 * the OpenTelemetry specification has environment configuration override a file's.
 */
public final class OtelProperties {
  private OtelProperties() {}

  public static Map<String, String> of(TskSettings s) {
    Map<String, String> p = new LinkedHashMap<>();
    if (s.serviceName() != null) {
      p.put("otel.service.name", s.serviceName());
    }
    StringBuilder resource = new StringBuilder();
    if (s.serviceVersion() != null) {
      resource.append("service.version=").append(encode(s.serviceVersion()));
    }
    if (s.deploymentEnvironment() != null) {
      append(resource, "deployment.environment.name=" + encode(s.deploymentEnvironment()));
    }
    if (s.resourceAttributes() != null) {
      append(resource, s.resourceAttributes());
    }
    if (resource.length() > 0) {
      p.put("otel.resource.attributes", resource.toString());
    }

    String metricsExporter = s.exporter();
    if (s.prometheusPort() >= 0) {
      metricsExporter = s.exporter().equals("none") ? "prometheus" : s.exporter() + ",prometheus";
      p.put("otel.exporter.prometheus.port", Integer.toString(s.prometheusPort()));
      p.put("otel.exporter.prometheus.host", s.prometheusHost());
    }
    p.put("otel.metrics.exporter", metricsExporter);
    p.put("otel.logs.exporter", s.exporter());
    p.put("otel.traces.exporter", s.traceEnabled() ? s.exporter() : "none");
    if (!s.traceEnabled()) {
      p.put("otel.traces.sampler", "always_off");
    } else if (s.traceSampler() != null) {
      p.put("otel.traces.sampler", "parentbased_traceidratio");
      p.put("otel.traces.sampler.arg", Double.toString(s.traceSampler()));
    }
    p.put("otel.exporter.otlp.protocol", s.otlpProtocol());
    if (s.otlpEndpoint() != null) {
      p.put("otel.exporter.otlp.endpoint", s.otlpEndpoint());
    }
    if (!s.authToken().isEmpty()) {
      // W3C-baggage-style list, values percent-encoded, as OTEL_EXPORTER_OTLP_HEADERS.
      p.put("otel.exporter.otlp.headers", "authorization=" + encode("Bearer " + s.authToken()));
    }
    p.put("otel.metric.export.interval", Long.toString(s.metricExportInterval().toMillis()));
    return p;
  }

  private static void append(StringBuilder b, String entry) {
    if (b.length() > 0) {
      b.append(',');
    }
    b.append(entry);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
