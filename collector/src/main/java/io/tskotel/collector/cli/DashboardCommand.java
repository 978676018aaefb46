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
        t.row(section, e.getKey(), number(e.getValue()));
      }
    }
    t.print(out);
    out.println();
    AlertsCommand.printAlerts(out, d.path("alerts"));
  }
}
