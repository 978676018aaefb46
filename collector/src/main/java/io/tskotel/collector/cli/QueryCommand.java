package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tskotel query …}: the query functions of a running collector, through its admin API. */
@Command(
    name = "query",
    description = "Query a running collector through its admin API.",
    mixinStandardHelpOptions = true,
    subcommands = {QueryCommand.Metrics.class, QueryCommand.Fujsen.class})
public final class QueryCommand {

  @Command(
      name = "metrics",
      description = "One metric over a time range (the seed's get_metrics).",
      mixinStandardHelpOptions = true)
  static final class Metrics extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Metric name, or a TSK instrument key.")
    String name;

    @Option(
        names = "--range",
        defaultValue = "1h",
        description = "1m, 5m, 1h, 24h, 7d, any duration such as 90s, or all (default: ${DEFAULT-VALUE}).")
    String range;

    @Option(
        names = "--agg",
        defaultValue = "avg",
        description = "avg, max, min, sum, count, raw, p50, p90, p95, p99 (default: ${DEFAULT-VALUE}).")
    String agg;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only points with this attribute.")
    Map<String, String> labels = new TreeMap<>();

    @Override
    void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("range", range);
      query.put("agg", agg);
      labels.forEach((k, v) -> query.put("label." + k, v));
      JsonNode r = client.get("/api/v1/metrics/" + ApiClient.pathSegment(name), query);
      if (api.json) {
        printJson(out, r);
        return;
      }
      JsonNode values = r.path("values");
      Table t = new Table("METRIC", "RANGE", "AGG", "VALUE");
      if (values.isEmpty()) {
        t.row(r.path("metric").asText(), r.path("range").asText(), r.path("aggregation").asText(), "(no data)");
      }
      for (JsonNode v : values) {
        t.row(r.path("metric").asText(), r.path("range").asText(), r.path("aggregation").asText(), number(v));
      }
      t.print(out);
    }
  }

  @Command(
      name = "fujsen",
      description = "Run a SQL fujsen declared in the collector's TSK configuration.",
      mixinStandardHelpOptions = true)
  static final class Fujsen extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Fujsen name (or section.name).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A query parameter.")
    Map<String, String> params = new LinkedHashMap<>();

    @Override
    void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
      JsonNode r = client.get("/api/v1/query/" + ApiClient.pathSegment(name), params);
      if (api.json) {
        printJson(out, r);
        return;
      }
      JsonNode columns = r.path("columns");
      String[] header = new String[columns.size()];
      for (int i = 0; i < header.length; i++) {
        header[i] = columns.get(i).path("name").asText();
      }
      Table t = new Table(header);
      for (JsonNode row : r.path("rows")) {
        Object[] cells = new Object[header.length];
        for (int i = 0; i < header.length; i++) {
          JsonNode c = row.get(i);
          cells[i] = c == null || c.isNull() ? null : c.isNumber() ? number(c) : c.isValueNode() ? c.asText() : c.toString();
        }
        t.row(cells);
      }
      t.print(out);
    }
  }
}
