package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tskotel alerts}: what a running collector's alerting holds now (firing, pending) and the recent
 * transitions (the seed's get_recent_alerts); {@code tskotel alerts silence FINGERPRINT --for 1h}.
 */
@Command(
    name = "alerts",
    description = "Firing and pending alerts, then recent alert transitions, newest first.",
    mixinStandardHelpOptions = true,
    subcommands = AlertsCommand.Silence.class)
public final class AlertsCommand extends ApiCommand {

  @Option(names = "--since", defaultValue = "1h", description = "How far back (default: ${DEFAULT-VALUE}).")
  String since;

  @Option(names = "--limit", defaultValue = "10", description = "At most this many (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("since", since);
    query.put("limit", Integer.toString(limit));
    JsonNode r = client.get("/api/v1/alerts", query);
    if (api.json) {
      printJson(out, r);
      return;
    }
    printActive(out, "Firing", r.path("firing"));
    printActive(out, "Pending", r.path("pending"));
    printAlerts(out, r.path("alerts"));
  }

  /** The live alerts of one state, when the collector runs alerting and has some. */
  private static void printActive(PrintWriter out, String title, JsonNode alerts) {
    if (!alerts.isArray() || alerts.isEmpty()) {
      return;
    }
    out.println(title + ":");
    Table t = new Table("FINGERPRINT", "SINCE", "TYPE", "SEVERITY", "VALUE", "THRESHOLD", "SILENCED", "MESSAGE");
    for (JsonNode a : alerts) {
      t.row(
          a.path("fingerprint").asText(),
          a.path("started_at").asText(),
          a.path("type").asText(),
          a.path("severity").asText(),
          number(a.path("value")),
          number(a.path("threshold")),
          a.path("silenced_until").isTextual() ? "until " + a.path("silenced_until").asText() : "-",
          a.path("message").asText());
    }
    t.print(out);
    out.println();
  }

  static void printAlerts(PrintWriter out, JsonNode alerts) {
    if (alerts.isEmpty()) {
      out.println("No alerts.");
      out.flush();
      return;
    }
    Table t = new Table("TIME", "TYPE", "SEVERITY", "STATE", "VALUE", "THRESHOLD", "MESSAGE");
    for (JsonNode a : alerts) {
      t.row(
          a.path("timestamp").asText(),
          a.path("type").asText(),
          a.path("severity").asText(),
          a.path("state").asText("-"),
          number(a.path("value")),
          number(a.path("threshold")),
          a.path("message").asText());
    }
    t.print(out);
  }

  /** {@code tskotel alerts silence FINGERPRINT [--for 1h]}. */
  @Command(name = "silence", mixinStandardHelpOptions = true,
      description = "Hold back notifications of one alert (by fingerprint) for a while; --for 0s lifts it.")
  static final class Silence extends ApiCommand {
    @Parameters(paramLabel = "FINGERPRINT", description = "The alert's fingerprint (see tskotel alerts).")
    String fingerprint;

    @Option(names = "--for", defaultValue = "1h", description = "How long (default: ${DEFAULT-VALUE}).")
    String duration;

    @Override
    void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
      JsonNode r = client.post("/api/v1/alerts/" + ApiClient.pathSegment(fingerprint) + "/silence",
          Map.of("for", duration));
      if (api.json) {
        printJson(out, r);
        return;
      }
      out.println("Silenced " + r.path("fingerprint").asText() + " until " + r.path("silenced_until").asText() + ".");
    }
  }
}
