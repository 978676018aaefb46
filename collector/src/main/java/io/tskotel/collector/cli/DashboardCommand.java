package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code tskotel dashboard}: the seed's generate_dashboard_data, from a running collector. */
@Command(
    name = "dashboard",
    description = "System, application and business metrics and recent alerts of a running collector.",
    mixinStandardHelpOptions = true)
public final class DashboardCommand extends ApiCommand {

  @Override
  void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
    JsonNode d = client.get("/api/v1/dashboard", Map.of());
    if (api.json) {
      printJson(out, d);
      return;
    }
    Table t = new Table("SECTION", "METRIC", "VALUE");
    for (String section : new String[] {"system", "application", "business"}) {
      for (Map.Entry<String, JsonNode> e : d.path(section).properties()) {
        JsonNode v = e.getValue();
        t.row(section, e.getKey(), v.isArray() ? reporters(v) : number(v));
      }
    }
    t.print(out);
    out.println();
    AlertsCommand.printAlerts(out, d.path("alerts"));
  }

  /** {@code system.reporters}: "cpu_usage from shop on shop-1; …", "-" when none. */
  private static String reporters(JsonNode array) {
    StringBuilder b = new StringBuilder();
    for (JsonNode r : array) {
      if (!b.isEmpty()) {
        b.append("; ");
      }
      b.append(r.path("metric").asText()).append(" from ").append(r.path("service").asText());
      if (!r.path("host").asText().isEmpty()) {
        b.append(" on ").append(r.path("host").asText());
      }
    }
    return b.isEmpty() ? "-" : b.toString();
  }
}
