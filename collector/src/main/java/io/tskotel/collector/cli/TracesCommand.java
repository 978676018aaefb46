package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tskotel traces}: the trace search of a running collector ({@code GET /api/v1/traces}). */
@Command(
    name = "traces",
    description = "Search traces: those with a span matching every filter, newest (or slowest) first.",
    mixinStandardHelpOptions = true)
public final class TracesCommand extends ApiCommand {
  @Option(names = "--service", description = "The span's service.")
  @Nullable String service;

  @Option(names = "--name", description = "The span's name or HTTP route, such as \"GET /cart\" or /cart.")
  @Nullable String name;

  @Option(names = "--error", description = "Only failed spans (status Error, or a server span with HTTP >= 400).")
  boolean error;

  @Option(names = "--min-duration", paramLabel = "DURATION", description = "Only spans at least this long: 250ms, 1.5s.")
  @Nullable String minDuration;

  @Option(names = "--sort", defaultValue = "newest", description = "newest or slowest (default: ${DEFAULT-VALUE}).")
  String sort;

  @Option(names = "--limit", defaultValue = "20", description = "Traces per page, 1..100 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--offset", defaultValue = "0", description = "Traces to skip (default: ${DEFAULT-VALUE}).")
  int offset;

  @Mixin ExplorerOptions filters;

  Clock clock = Clock.systemUTC();

  @Override
  void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
    List<Map.Entry<String, String>> query = new ArrayList<>();
    if (service != null) {
      query.add(Map.entry("service", service));
    }
    if (name != null) {
      query.add(Map.entry("name", name));
    }
    if (error) {
      query.add(Map.entry("error", "true"));
    }
    if (minDuration != null) {
      query.add(Map.entry("minDurationMs", Double.toString(ExplorerOptions.millis("--min-duration", minDuration))));
    }
    filters.addTo(query, clock);
    query.add(Map.entry("sort", sort));
    query.add(Map.entry("limit", Integer.toString(limit)));
    query.add(Map.entry("offset", Integer.toString(offset)));
    JsonNode r = client.get("/api/v1/traces", query);
    if (api.json) {
      printJson(out, r);
      return;
    }
    JsonNode items = r.path("items");
    if (items.isEmpty()) {
      out.println("No traces.");
      return;
    }
    Table t = new Table("TRACE ID", "START", "DURATION", "SPANS", "ERRORS", "SERVICE", "NAME", "SERVICES");
    for (JsonNode i : items) {
      List<String> services = new ArrayList<>();
      i.path("services").forEach(s -> services.add(s.asText()));
      t.row(
          i.path("traceId").asText(),
          ExplorerOptions.time(i.path("start").asText()),
          ExplorerOptions.duration(i.path("durationMs").asDouble()),
          i.path("spanCount").asLong(),
          i.path("errorCount").asLong(),
          i.path("service").asText(),
          i.path("name").asText(),
          String.join(",", services));
    }
    t.print(out);
    if (r.path("hasMore").asBoolean()) {
      out.println("More: --offset " + (offset + limit));
    }
  }
}
