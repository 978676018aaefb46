package io.tskotel.collector.alert.internal;

import io.tskotel.collector.alert.AlertingConfig;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which channels an alert goes to, as the seed routes: critical → email, Slack, PagerDuty; warning → email,
 * Slack; the generic webhook gets every alert. A rule's own {@code channels} replace this. Channels that are
 * not configured are left out.
 */
public final class Routing {
  private Routing() {}

  public static List<String> channels(String severity, @Nullable List<String> ruleChannels, AlertingConfig config) {
    List<String> wanted = ruleChannels != null ? ruleChannels : switch (severity) {
      case "critical" -> List.of("email", "slack", "pagerduty", "webhook");
      case "warning" -> List.of("email", "slack", "webhook");
      default -> List.of("webhook");
    };
    List<String> out = new ArrayList<>();
    for (String c : wanted) {
      if (config.channelConfigured(c)) {
        out.add(c);
      }
    }
    return out;
  }
}
