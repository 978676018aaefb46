package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code tskotel trace ID}: one trace as a text waterfall, then its logs ({@code GET /api/v1/traces/{id}}). */
@Command(
    name = "trace",
    description = "Show one trace: its spans as a tree with offsets, durations and a timeline, then its logs.",
    mixinStandardHelpOptions = true)
public final class TraceCommand extends ApiCommand {
  static final int BAR = 30;

  @Parameters(index = "0", paramLabel = "TRACE_ID", description = "32 hex digits.")
  String traceId;

  @Override
  void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
    JsonNode r = client.get("/api/v1/traces/" + ApiClient.pathSegment(traceId), Map.of());
    if (api.json) {
      printJson(out, r);
      return;
    }
    double total = r.path("durationMs").asDouble();
    out.println("Trace " + r.path("traceId").asText() + "  " + ExplorerOptions.time(r.path("start").asText())
        + "  " + ExplorerOptions.duration(total) + "  " + r.path("spans").size() + " spans"
        + (r.path("truncated").asBoolean() ? " (truncated)" : ""));
    Table t = new Table("SPAN", "SERVICE", "KIND", "STATUS", "OFFSET", "DURATION", "TIMELINE");
    for (JsonNode s : r.path("spans")) {
      t.row(
          "  ".repeat(s.path("depth").asInt()) + s.path("name").asText(),
          s.path("service").asText(),
          s.path("kind").asText(),
          s.path("status").asText(),
          ExplorerOptions.duration(s.path("offsetMs").asDouble()),
          ExplorerOptions.duration(s.path("durationMs").asDouble()),
          bar(s.path("offsetMs").asDouble(), s.path("durationMs").asDouble(), total));
    }
    t.print(out);
    for (JsonNode s : r.path("spans")) {
      for (JsonNode e : s.path("events")) {
        out.println("  event " + e.path("name").asText() + " in " + s.path("name").asText() + " at +"
            + ExplorerOptions.duration(e.path("offsetMs").asDouble()) + " " + e.path("attributes"));
      }
    }
    JsonNode logs = r.path("logs");
    if (!logs.isEmpty()) {
      out.println();
      out.println("Logs:");
      LogsCommand.print(out, logs, true);
    }
  }

  /** The span's place on the trace's timeline, {@value #BAR} characters wide. */
  static String bar(double offsetMs, double durationMs, double totalMs) {
    if (totalMs <= 0) {
      return "|" + "=".repeat(BAR) + "|";
    }
    int start = (int) Math.min(BAR - 1, Math.floor(offsetMs / totalMs * BAR));
    int width = (int) Math.max(1, Math.round(durationMs / totalMs * BAR));
    width = Math.min(width, BAR - start);
    return "|" + " ".repeat(start) + "=".repeat(width) + " ".repeat(BAR - start - width) + "|";
  }
}
