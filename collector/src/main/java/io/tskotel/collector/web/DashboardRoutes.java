package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tskotel.exporter.StoreException;
import io.tskotel.collector.web.charts.ChartSeries;
import io.tskotel.collector.web.charts.Charts;
import io.tskotel.collector.web.StaticFiles.Asset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard page: {@code GET {path}} (HTML), {@code GET {path}/assets/{file}} (its script, styles and
 * the uPlot chart library, all from the jar), {@code GET {path}/charts?range=} (the charts' series as
 * JSON; under the page's path because {@code /api/} belongs to the query API) and {@code GET {path}/host}
 * (the collector's own host, for the system section when no app reports it). The page also reads {@code
 * GET {apiBase}/dashboard} (current values and recent alerts), which the query API serves. Mount on the admin server with {@code builder.routes(dashboard::register)}, or on any
 * Javalin app with {@code Javalin.create(c -> dashboard.register(c.routes))}.
 */
public final class DashboardRoutes {
  private static final Logger logger = LoggerFactory.getLogger(DashboardRoutes.class);
  private static final String RESOURCES = StaticFiles.RESOURCES;
  private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private final DashboardConfig config;
  private final ChartSeries charts;
  private final HostMetrics host;
  private final ObjectMapper json = new ObjectMapper();
  private final byte[] page;
  private final Map<String, Asset> assets;

  /** With the host metrics of the working directory's filesystem. */
  public DashboardRoutes(DashboardConfig config, ChartSeries charts) {
    this(config, charts, new HostMetrics(Path.of(""), Clock.systemUTC()));
  }

  /**
   * @param host the collector's own host, shown in the system section when no app reports cpu, memory or
   *     disk use
   */
  public DashboardRoutes(DashboardConfig config, ChartSeries charts, HostMetrics host) {
    this.config = requireNonNull(config, "config");
    this.charts = requireNonNull(charts, "charts");
    this.host = requireNonNull(host, "host");
    var errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("dashboard: " + String.join("; ", errors));
    }
    String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    Map<String, Asset> a = new LinkedHashMap<>();
    a.put("dashboard.js", Asset.of(RESOURCES + "dashboard.js", StaticFiles.JS));
    a.put("dashboard.css", Asset.of(RESOURCES + "dashboard.css", StaticFiles.CSS));
    a.put("uPlot.iife.min.js", Asset.of(uplot + "uPlot.iife.min.js", StaticFiles.JS));
    a.put("uPlot.min.css", Asset.of(uplot + "uPlot.min.css", StaticFiles.CSS));
    this.assets = Map.copyOf(a);
    // Every substituted value was validated above: paths of [A-Za-z0-9_.-/], a number, a range token.
    this.page =
        new String(StaticFiles.read(RESOURCES + "index.html"), StandardCharsets.UTF_8)
            .replace("{{base}}", config.path())
            .replace("{{assets}}", config.path() + "/assets")
            .replace("{{api}}", config.apiBase())
            .replace("{{charts}}", config.path() + "/charts")
            .replace("{{host}}", config.path() + "/host")
            .replace("{{refreshSeconds}}", Long.toString(config.refresh().toSeconds()))
            .replace("{{range}}", config.defaultRange())
            .getBytes(StandardCharsets.UTF_8);
  }

  /** Adds the page, its assets and the charts endpoint. */
  public void register(RoutesConfig routes) {
    routes.get(config.path(), ctx -> StaticFiles.page(ctx, page));
    routes.get(config.path() + "/assets/{file}", ctx -> StaticFiles.asset(ctx, assets));
    routes.get(config.path() + "/charts", this::charts);
    routes.get(config.path() + "/host", this::host);
  }

  private void charts(Context ctx) throws IOException {
    String rangeText = ctx.queryParam("range");
    Duration range;
    try {
      range = ChartRange.parse(rangeText == null ? config.defaultRange() : rangeText);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "range: " + e.getMessage());
      return;
    }
    Charts c;
    try {
      c = charts.query(range);
    } catch (StoreException e) {
      logger.warn("dashboard charts: store query failed: {}", e.getMessage());
      error(ctx, e.retryable() ? 503 : 500, "store: " + e.getMessage());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("range", rangeText == null ? config.defaultRange() : rangeText);
    body.put("from", c.fromEpochSecond());
    body.put("to", c.toEpochSecond());
    body.put("step_seconds", c.stepSeconds());
    body.put("timestamps", c.timestamps());
    body.put("series", c.series());
    ctx.contentType("application/json").result(json.writeValueAsBytes(body));
  }

  /** The collector's own host (OSHI): name, disk path, latest cpu/memory/disk percent and the samples. */
  private void host(Context ctx) throws IOException {
    ctx.contentType("application/json").result(json.writeValueAsBytes(host.toJson()));
  }

  private void error(Context ctx, int status, String message) throws IOException {
    ctx.status(status)
        .contentType("application/json")
        .result(json.writeValueAsBytes(Map.of("error", message)));
  }

  private static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = StaticFiles.open(UPLOT_POM)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return requireNonNull(p.getProperty("version"), UPLOT_POM + ": version");
  }
}
