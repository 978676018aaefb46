package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tskotel alerts}: recent alerts of a running collector (the seed's get_recent_alerts). */
@Command(name = "alerts", description = "Recent alerts, newest first.", mixinStandardHelpOptions = true)
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
    printAlerts(out, r.path("alerts"));
  }

  static void printAlerts(PrintWriter out, JsonNode alerts) {
    if (alerts.isEmpty()) {
      out.println("No alerts.");
      out.flush();
      return;
    }
    Table t = new Table("TIME", "TYPE", "SEVERITY", "VALUE", "THRESHOLD", "MESSAGE");
    for (JsonNode a : alerts) {
      t.row(
          a.path("timestamp").asText(),
          a.path("type").asText(),
          a.path("severity").asText(),
          number(a.path("value")),
          number(a.path("threshold")),
          a.path("message").asText());
    }
    t.print(out);
  }
}
