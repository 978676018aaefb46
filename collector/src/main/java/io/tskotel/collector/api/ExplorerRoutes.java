package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tskotel.collector.query.AttributeFilter;
import io.tskotel.collector.query.LogEntry;
import io.tskotel.collector.query.LogPage;
import io.tskotel.collector.query.LogSearch;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.Severity;
import io.tskotel.collector.query.TraceDetail;
import io.tskotel.collector.query.TracePage;
import io.tskotel.collector.query.TraceSearch;
import io.tskotel.collector.query.TraceSummary;
import io.tskotel.collector.query.Times;
import io.tskotel.exporter.TelemetryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The trace and log explorer's JSON ({@code /api/v1/traces}, {@code /api/v1/traces/{traceId}}, {@code
 * /api/v1/logs}), as docs/query-api.md and the explorer contract describe it: camelCase fields, times as
 * RFC 3339 with nanoseconds, durations in milliseconds. Every bad parameter is reported at once (400); a
 * parameter given empty counts as not given, as an HTML form sends it.
 */
final class ExplorerRoutes {
  private static final Set<String> TRACE_PARAMS =
      Set.of("service", "name", "error", "minDurationMs", "from", "to", "attr", "sort", "limit", "offset");
  private static final Set<String> LOG_PARAMS =
      Set.of("service", "severity", "q", "traceId", "attr", "from", "to", "limit", "before", "after");

  private final QueryFunctions functions;
  private final TelemetryStore store;

  ExplorerRoutes(QueryFunctions functions, TelemetryStore store) {
    this.functions = requireNonNull(functions, "functions");
    this.store = requireNonNull(store, "store");
  }

  void register(RoutesConfig routes) {
    routes.get(FunctionRoutes.PREFIX + "/traces", ctx -> guarded(ctx, () -> traces(ctx)));
    routes.get(FunctionRoutes.PREFIX + "/traces/{traceId}", ctx -> guarded(ctx, () -> trace(ctx)));
    routes.get(FunctionRoutes.PREFIX + "/logs", ctx -> guarded(ctx, () -> logs(ctx)));
  }

  private void guarded(Context ctx, FunctionRoutes.Body body) {
    try {
      Object out = body.get();
      if (out != null) {
        ctx.json(out);
      }
    } catch (Exception e) {
      ApiError error = ApiError.of(e, false, store);
      AdminServer.logFailure(ctx, error, e);
      ctx.status(error.httpStatus()).json(Map.of("error", error.message()));
    }
  }

  private Object traces(Context ctx) throws Exception {
    Params p = new Params(ctx, TRACE_PARAMS);
    TraceSearch.Builder b = TraceSearch.builder();
    b.service(p.text("service")).name(p.text("name"));
    p.parse("error", Params::bool).ifPresent(b::error);
    p.parse("minDurationMs", Params::decimal).ifPresent(b::minDurationMs);
    p.time("from").ifPresent(b::from);
    p.time("to").ifPresent(b::to);
    p.parse("sort", TraceSearch.Sort::parse).ifPresent(b::sort);
    p.parse("limit", Params::integer).ifPresent(b::limit);
    p.parse("offset", Params::integer).ifPresent(b::offset);
    p.attributes().forEach(b::attr);
    TraceSearch search = b.build();
    p.fail(search.validate(functions.clock().instant(), functions.config().explorerMaxRange()));
    TracePage page = functions.traces().search(search);
    List<Map<String, Object>> items = new ArrayList<>();
    for (TraceSummary t : page.items()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("traceId", t.traceId());
      m.put("rootSpanId", t.rootSpanId());
      m.put("service", t.service());
      m.put("name", t.name());
      m.put("start", Times.format(t.start()));
      m.put("durationMs", t.durationMs());
      m.put("spanCount", t.spanCount());
      m.put("errorCount", t.errorCount());
      m.put("services", t.services());
      items.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    out.put("limit", page.limit());
    out.put("offset", page.offset());
    out.put("hasMore", page.hasMore());
    return out;
  }

  private @Nullable Object trace(Context ctx) throws Exception {
    new Params(ctx, Set.of()).fail(List.of());
    String id = ctx.pathParam("traceId");
    Optional<TraceDetail> found = functions.traces().trace(id);
    if (found.isEmpty()) {
      ctx.status(404).json(Map.of("error", "trace " + id + " not found"));
      return null;
    }
    TraceDetail t = found.get();
    List<Map<String, Object>> spans = new ArrayList<>();
    for (TraceDetail.Span s : t.spans()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("spanId", s.spanId());
      m.put("parentSpanId", s.parentSpanId());
      m.put("service", s.service());
      m.put("name", s.name());
      m.put("kind", s.kind());
      m.put("start", Times.format(s.start()));
      m.put("offsetMs", s.offsetMs());
      m.put("durationMs", s.durationMs());
      m.put("depth", s.depth());
      m.put("status", s.status());
      m.put("statusMessage", s.statusMessage());
      m.put("attributes", s.attributes());
      m.put("resourceAttributes", s.resourceAttributes());
      List<Map<String, Object>> events = new ArrayList<>();
      for (TraceDetail.Event e : s.events()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("name", e.name());
        em.put("time", Times.format(e.time()));
        em.put("offsetMs", e.offsetMs());
        em.put("attributes", e.attributes());
        events.add(em);
      }
      m.put("events", events);
      List<Map<String, Object>> links = new ArrayList<>();
      for (TraceDetail.Link l : s.links()) {
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("traceId", l.traceId());
        lm.put("spanId", l.spanId());
        lm.put("attributes", l.attributes());
        links.add(lm);
      }
      m.put("links", links);
      spans.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traceId", t.traceId());
    out.put("start", Times.format(t.start()));
    out.put("durationMs", t.durationMs());
    out.put("truncated", t.truncated());
    out.put("spans", spans);
    out.put("logs", t.logs().stream().map(ExplorerRoutes::log).toList());
    return out;
  }

  private Object logs(Context ctx) throws Exception {
    Params p = new Params(ctx, LOG_PARAMS);
    LogSearch.Builder b = LogSearch.builder();
    b.service(p.text("service")).q(p.text("q")).traceId(p.text("traceId"));
    p.parse("severity", Severity::parse).ifPresent(b::severity);
    p.time("from").ifPresent(b::from);
    p.time("to").ifPresent(b::to);
    p.time("before").ifPresent(b::before);
    p.time("after").ifPresent(b::after);
    p.parse("limit", Params::integer).ifPresent(b::limit);
    p.attributes().forEach(b::attr);
    LogSearch search = b.build();
    p.fail(search.validate(functions.clock().instant(), functions.config().explorerMaxRange()));
    LogPage page = functions.logs().search(search);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", page.items().stream().map(ExplorerRoutes::log).toList());
    out.put("limit", page.limit());
    out.put("hasMore", page.hasMore());
    return out;
  }

  private static Map<String, Object> log(LogEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Times.format(e.time()));
    m.put("service", e.service());
    m.put("severity", e.severity());
    m.put("severityNumber", e.severityNumber());
    m.put("body", e.body());
    m.put("traceId", e.traceId());
    m.put("spanId", e.spanId());
    m.put("attributes", e.attributes());
    m.put("resourceAttributes", e.resourceAttributes());
    return m;
  }

  /** The query parameters of one request, with every problem collected rather than thrown at the first. */
  private static final class Params {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    Params(Context ctx, Set<String> allowed) {
      List<String> unknown = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
        String k = e.getKey();
        if (!allowed.contains(k)) {
          unknown.add(k);
          continue;
        }
        List<String> given = e.getValue().stream().filter(v -> !v.isEmpty()).toList();
        if (given.size() > 1 && !k.equals("attr")) {
          errors.add(k + ": given " + given.size() + " times (expected: once)");
        } else if (!given.isEmpty()) {
          values.put(k, given);
        }
      }
      if (!unknown.isEmpty()) {
        errors.add("unknown parameters " + unknown.stream().sorted().toList() + " (expected: "
            + (allowed.isEmpty() ? "none" : String.join(", ", allowed.stream().sorted().toList())) + ")");
      }
    }

    @Nullable String text(String name) {
      List<String> v = values.get(name);
      return v == null ? null : v.get(0);
    }

    <T> Optional<T> parse(String name, Function<String, T> parser) {
      String v = text(name);
      if (v == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(parser.apply(v));
      } catch (IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        errors.add(message.startsWith(name + ":") ? message : name + ": " + message);
        return Optional.empty();
      }
    }

    /** An RFC 3339 time or epoch milliseconds ({@link Times#parse}). */
    Optional<Instant> time(String name) {
      return parse(name, t -> Times.parse(name, t));
    }

    List<AttributeFilter> attributes() {
      List<AttributeFilter> out = new ArrayList<>();
      for (String a : values.getOrDefault("attr", List.of())) {
        try {
          out.add(AttributeFilter.parse(a));
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
        }
      }
      return out;
    }

    /** Throws the parse errors and {@code more} together, when there are any. */
    void fail(List<String> more) {
      List<String> all = new ArrayList<>(errors);
      all.addAll(more);
      if (!all.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", all));
      }
    }

    static boolean bool(String text) {
      return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1", "yes" -> true;
        case "false", "0", "no" -> false;
        default -> throw new IllegalArgumentException("\"" + text + "\" (expected: true or false)");
      };
    }

    static double decimal(String text) {
      try {
        return Double.parseDouble(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + text + "\" (expected: a number)");
      }
    }

    static int integer(String text) {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + text + "\" (expected: an integer)");
      }
    }
  }
}
