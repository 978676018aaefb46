package io.tskotel.collector.alert.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PagerDuty Events API v2: a {@code trigger} event per firing alert and a {@code resolve} event per resolved
 * one, both with {@code dedup_key} = the alert's fingerprint, so PagerDuty keeps one incident per alert.
 */
public final class PagerDutyChannel implements Channel {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpPost http;
  private final URI url;
  private final String routingKey;

  public PagerDutyChannel(HttpPost http, String url, String routingKey) {
    this.http = http;
    this.url = URI.create(url);
    this.routingKey = routingKey;
  }

  @Override
  public String name() {
    return "pagerduty";
  }

  /** The event for one notice. */
  public static String payload(String routingKey, Notice n) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("routing_key", routingKey);
    event.put("event_action", n.firing() ? "trigger" : "resolve");
    event.put("dedup_key", n.fingerprint());
    if (n.firing()) {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("summary", n.type() + ": " + n.message());
      payload.put("source", "tskotel");
      payload.put("severity", n.severity());
      payload.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(n.startedAt()));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("type", n.type());
      details.put("value", n.value());
      details.put("threshold", n.threshold());
      details.put("labels", new TreeMap<>(n.labels()));
      payload.put("custom_details", details);
      event.put("payload", payload);
    }
    return Jsons.write(JSON, event);
  }

  @Override
  public void send(List<Notice> notices) throws SendException {
    for (Notice n : notices) {
      http.json(name(), url, payload(routingKey, n), Map.of());
    }
  }
}
