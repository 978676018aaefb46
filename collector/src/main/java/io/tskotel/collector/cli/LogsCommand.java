package io.tskotel.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tskotel logs}: the log search of a running collector ({@code GET /api/v1/logs}), printed oldest
 * first as a terminal reads; {@code --follow} then polls for newer records until interrupted.
 */
@Command(
    name = "logs",
    description = "Search logs (the newest --limit, printed oldest first); --follow keeps printing new ones.",
    mixinStandardHelpOptions = true)
public final class LogsCommand extends ApiCommand {
  @Option(names = "--service", description = "The record's service.")
  @Nullable String service;

  @Option(names = "--severity", description = "Lowest severity: TRACE, DEBUG, INFO, WARN, ERROR or FATAL.")
  @Nullable String severity;

  @Option(
      names = {"-q", "--query"},
      description = "Text: a word matches whole words; anything else (or \"quoted\") is a substring. Any case.")
  @Nullable String text;

  @Option(names = "--trace-id", description = "Only records of this trace.")
  @Nullable String traceId;

  @Option(names = "--limit", defaultValue = "50", description = "Records, 1..500 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = {"-f", "--follow"}, description = "Keep polling for newer records until interrupted (Ctrl-C).")
  boolean follow;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      paramLabel = "DURATION",
      description = "How often --follow polls (default: ${DEFAULT-VALUE}).")
  String interval;

  @Mixin ExplorerOptions filters;

  Clock clock = Clock.systemUTC();

  @Override
  void run(ApiClient client, PrintWriter out) throws ApiClient.ApiException {
    long pollMillis = (long) ExplorerOptions.millis("--interval", interval);
    if (follow && pollMillis < 100) {
      throw new ApiClient.ApiException("--interval: " + interval + " (expected: >= 100ms)");
    }
    JsonNode r = client.get("/api/v1/logs", query(null, limit));
    if (api.json) {
      printJson(out, r);
    } else if (r.path("items").isEmpty() && !follow) {
      out.println("No logs.");
    } else {
      print(out, reversed(r.path("items")), false);
    }
    out.flush();
    if (!follow) {
      return;
    }
    String newest = r.path("items").isEmpty() ? null : r.path("items").get(0).path("time").asText();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(Duration.ofMillis(pollMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      JsonNode next;
      try {
        next = client.get("/api/v1/logs", query(newest, 500));
      } catch (ApiClient.ApiException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        throw e;
      }
      JsonNode items = next.path("items");
      if (items.isEmpty()) {
        continue;
      }
      if (next.path("hasMore").asBoolean()) {
        out.println("… more records arrived than one poll shows (500); the oldest of them are skipped");
      }
      if (api.json) {
        items.forEach(i -> printJson(out, i));
      } else {
        print(out, reversed(items), false);
      }
      out.flush();
      newest = items.get(0).path("time").asText();
    }
  }

  private List<Map.Entry<String, String>> query(@Nullable String after, int rows) throws ApiClient.ApiException {
    List<Map.Entry<String, String>> q = new ArrayList<>();
    if (service != null) {
      q.add(Map.entry("service", service));
    }
    if (severity != null) {
      q.add(Map.entry("severity", severity));
    }
    if (text != null) {
      q.add(Map.entry("q", text));
    }
    if (traceId != null) {
      q.add(Map.entry("traceId", traceId));
    }
    filters.addTo(q, clock);
    if (after != null) {
      q.add(Map.entry("after", after));
    }
    q.add(Map.entry("limit", Integer.toString(rows)));
    return q;
  }

  private static List<JsonNode> reversed(JsonNode items) {
    List<JsonNode> out = new ArrayList<>();
    items.forEach(out::add);
    return out.reversed();
  }

  static void print(PrintWriter out, JsonNode logs, boolean inTrace) {
    List<JsonNode> list = new ArrayList<>();
    logs.forEach(list::add);
    print(out, list, inTrace);
  }

  /** One line per record: time, severity, service, trace id (when asked and present), body. */
  static void print(PrintWriter out, List<JsonNode> logs, boolean inTrace) {
    for (JsonNode l : logs) {
      StringBuilder sb = new StringBuilder();
      sb.append(ExplorerOptions.time(l.path("time").asText())).append("  ");
      sb.append(String.format("%-5s", l.path("severity").asText())).append("  ");
      sb.append(l.path("service").asText()).append("  ");
      String trace = l.path("traceId").asText();
      if (!inTrace && !trace.isEmpty()) {
        sb.append("trace=").append(trace).append("  ");
      }
      if (inTrace && !l.path("spanId").asText().isEmpty()) {
        sb.append("span=").append(l.path("spanId").asText()).append("  ");
      }
      sb.append(l.path("body").asText().replace('\n', ' '));
      out.println(sb);
    }
  }
}
