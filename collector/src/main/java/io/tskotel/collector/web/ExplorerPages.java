package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tskotel.collector.web.StaticFiles.Asset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The trace and log explorer pages next to the dashboard: {@code GET {path}/traces} (search, and a trace's
 * waterfall at {@code {path}/traces/{traceId}} or {@code {path}/traces?trace=}), {@code GET {path}/logs}
 * (search and live tail) and their scripts and styles under {@code {path}/explorer/{file}}. The pages are
 * static: everything they show comes from the query API ({@code {apiBase}/traces}, {@code {apiBase}/logs}),
 * read by their scripts, so a trace id in the URL never reaches the HTML. They share the dashboard's
 * stylesheet ({@code {path}/assets/dashboard.css}): mount both, e.g. {@code
 * builder.routes(dashboard::register).routes(explorer::register)}.
 */
public final class ExplorerPages {
  private final DashboardConfig config;
  private final byte[] tracesPage;
  private final byte[] logsPage;
  private final Map<String, Asset> assets;

  public ExplorerPages(DashboardConfig config) {
    this.config = requireNonNull(config, "config");
    var errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("dashboard: " + String.join("; ", errors));
    }
    this.assets =
        Map.of(
            "explorer.js", Asset.of(StaticFiles.RESOURCES + "explorer.js", StaticFiles.JS),
            "traces.js", Asset.of(StaticFiles.RESOURCES + "traces.js", StaticFiles.JS),
            "logs.js", Asset.of(StaticFiles.RESOURCES + "logs.js", StaticFiles.JS),
            "explorer.css", Asset.of(StaticFiles.RESOURCES + "explorer.css", StaticFiles.CSS));
    this.tracesPage = page("traces.html");
    this.logsPage = page("logs.html");
  }

  /** Adds the two pages (the trace view is the traces page with an id in its path) and their assets. */
  public void register(RoutesConfig routes) {
    routes.get(config.path() + "/traces", ctx -> html(ctx, tracesPage));
    routes.get(config.path() + "/traces/{traceId}", ctx -> html(ctx, tracesPage));
    routes.get(config.path() + "/logs", ctx -> html(ctx, logsPage));
    routes.get(config.path() + "/explorer/{file}", ctx -> StaticFiles.asset(ctx, assets));
  }

  private static void html(Context ctx, byte[] page) {
    // The trace view's URL carries a trace id: keep it out of Referer headers to other sites.
    ctx.header("Referrer-Policy", "same-origin");
    StaticFiles.page(ctx, page);
  }

  // Every substituted value was validated by DashboardConfig: paths of [A-Za-z0-9_.-/].
  private byte[] page(String name) {
    return new String(StaticFiles.read(StaticFiles.RESOURCES + name), StandardCharsets.UTF_8)
        .replace("{{base}}", config.path())
        .replace("{{assets}}", config.path() + "/assets")
        .replace("{{explorer}}", config.path() + "/explorer")
        .replace("{{api}}", config.apiBase())
        .getBytes(StandardCharsets.UTF_8);
  }
}
