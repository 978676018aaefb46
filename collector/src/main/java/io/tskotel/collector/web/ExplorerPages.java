package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
  private static final String RESOURCES = "io/tskotel/collector/web/dashboard/";

  private final DashboardConfig config;
  private final byte[] tracesPage;
  private final byte[] logsPage;
  private final Map<String, Asset> assets;

  private record Asset(byte[] bytes, String contentType) {}

  public ExplorerPages(DashboardConfig config) {
    this.config = requireNonNull(config, "config");
    var errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("dashboard: " + String.join("; ", errors));
    }
    String js = "text/javascript; charset=utf-8";
    this.assets =
        Map.of(
            "explorer.js", new Asset(read("explorer.js"), js),
            "traces.js", new Asset(read("traces.js"), js),
            "logs.js", new Asset(read("logs.js"), js),
            "explorer.css", new Asset(read("explorer.css"), "text/css; charset=utf-8"));
    this.tracesPage = page("traces.html");
    this.logsPage = page("logs.html");
  }

  /** Adds the two pages (the trace view is the traces page with an id in its path) and their assets. */
  public void register(RoutesConfig routes) {
    routes.get(config.path() + "/traces", ctx -> html(ctx, tracesPage));
    routes.get(config.path() + "/traces/{traceId}", ctx -> html(ctx, tracesPage));
    routes.get(config.path() + "/logs", ctx -> html(ctx, logsPage));
    routes.get(config.path() + "/explorer/{file}", this::asset);
  }

  private static void html(Context ctx, byte[] page) {
    ctx.header("Content-Security-Policy", DashboardRoutes.CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    // The trace view's URL carries a trace id: keep it out of Referer headers to other sites.
    ctx.header("Referrer-Policy", "same-origin");
    ctx.contentType("text/html; charset=utf-8").result(page);
  }

  private void asset(Context ctx) {
    Asset asset = assets.get(ctx.pathParam("file"));
    if (asset == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
      return;
    }
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  // Every substituted value was validated by DashboardConfig: paths of [A-Za-z0-9_.-/].
  private byte[] page(String name) {
    return new String(read(name), StandardCharsets.UTF_8)
        .replace("{{base}}", config.path())
        .replace("{{assets}}", config.path() + "/assets")
        .replace("{{explorer}}", config.path() + "/explorer")
        .replace("{{api}}", config.apiBase())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(String name) {
    try (InputStream in = ExplorerPages.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing from the jar: " + RESOURCES + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
