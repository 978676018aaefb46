package io.tskotel.collector.alert;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tskotel.collector.Collector;
import io.tskotel.collector.CollectorComponent;
import io.tskotel.collector.alert.internal.AlertCounters;
import io.tskotel.collector.alert.internal.AlertLog;
import io.tskotel.collector.alert.internal.Channel;
import io.tskotel.collector.alert.internal.Dispatcher;
import io.tskotel.collector.alert.internal.EmailChannel;
import io.tskotel.collector.alert.internal.Evaluator;
import io.tskotel.collector.alert.internal.HttpPost;
import io.tskotel.collector.alert.internal.PagerDutyChannel;
import io.tskotel.collector.alert.internal.RuleQueries;
import io.tskotel.collector.alert.internal.SlackChannel;
import io.tskotel.collector.alert.internal.WebhookChannel;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.TimeRange;
import io.tskotel.tsk.Tsk;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerting inside a running collector: the rules of {@link AlertingConfig} evaluated every {@code
 * evaluation_interval} on the collector's store, transitions in {@code tskotel_alerts}, notifications to the
 * configured channels, silences, and the seed's {@code check_alerts} / {@code send_alert} fujsen.
 *
 * <pre>{@code
 * Alerting alerting = Alerting.create(tsk, AlertingConfig.fromTsk(tsk), clock);
 * Collector.builder(settings)
 *     .component(alerting.factory())                                   // before the API that shows it
 *     .component(AdminApiComponent.factory(tsk, clock, alerting::extendApi))
 *     .start();
 * }</pre>
 */
public final class Alerting implements CollectorComponent {
  private static final Logger logger = LoggerFactory.getLogger(Alerting.class);
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{16}");

  private final Tsk tsk;
  private final AlertingConfig config;
  private final Clock clock;
  private final ThrottledLog failures = new ThrottledLog(logger, Duration.ofMinutes(1));
  private @Nullable Evaluator evaluator;
  private @Nullable Dispatcher dispatcher;
  private @Nullable HttpClient http;
  private @Nullable ScheduledExecutorService loop;
  private volatile boolean restored;
  private boolean started;
  private boolean stopped;

  private Alerting(Tsk tsk, AlertingConfig config, Clock clock) {
    this.tsk = requireNonNull(tsk, "tsk");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
  }

  /** Alerting for {@code tsk} (whose fujsen registry gets {@code check_alerts} and {@code send_alert}). */
  public static Alerting create(Tsk tsk, AlertingConfig config, Clock clock) {
    return new Alerting(tsk, config, clock);
  }

  /** The component factory: binds this alerting to the collector's store and metrics. */
  public CollectorComponent.Factory factory() {
    return collector -> {
      bind(collector);
      return this;
    };
  }

  private synchronized void bind(Collector collector) {
    if (evaluator != null) {
      throw new IllegalStateException("alerting already runs in a collector");
    }
    String database = collector.store() instanceof ClickHouseStore s
        ? s.config().database()
        : collector.settings().store().database();
    QueryFunctions functions = QueryFunctions.builder(collector.store())
        .clock(clock)
        .config(QueryConfig.fromTsk(tsk, database))
        .build();
    AlertCounters counters = new AlertCounters(collector.metrics());
    http = HttpClient.newBuilder().connectTimeout(config.sendTimeout()).build();
    HttpPost post = new HttpPost(http, config.sendTimeout());
    List<Channel> channels = new ArrayList<>();
    if (config.smtpHost() != null) {
      channels.add(new EmailChannel(config.smtpHost(), config.smtpPort(), config.smtpUser(), config.smtpPassword(),
          config.smtpStarttls(), requireNonNull(config.emailFrom()), config.emailTo(), config.sendTimeout()));
    }
    if (config.slackWebhookUrl() != null) {
      channels.add(new SlackChannel(post, config.slackWebhookUrl()));
    }
    if (config.pagerdutyRoutingKey() != null) {
      channels.add(new PagerDutyChannel(post, config.pagerdutyUrl(), config.pagerdutyRoutingKey()));
    }
    if (config.webhookUrl() != null) {
      channels.add(new WebhookChannel(post, config.webhookUrl(), config.webhookSecret()));
    }
    dispatcher = new Dispatcher(channels, counters, config.retryBackoff(), config.retryMaxBackoff(),
        config.retryAttempts());
    evaluator = new Evaluator(config.rules(), new RuleQueries(functions, collector.store()),
        new AlertLog(collector.store(), database), dispatcher, config, clock, counters);
    registerFujsen();
  }

  @Override
  public String name() {
    return "alerting";
  }

  /**
   * Rebuilds the open alerts from the store and starts the evaluation loop. A store that cannot be read yet
   * does not stop the start: the loop retries the rebuild before its first evaluation.
   */
  @Override
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    requireNonNull(evaluator, "evaluator (create alerting with factory())");
    tryRestore();
    if (!config.enabled()) {
      logger.info("alerting disabled ([alerting] enabled: false)");
      return;
    }
    loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tskotel-alert-evaluator");
      t.setDaemon(true);
      return t;
    });
    long ms = config.evaluationInterval().toMillis();
    loop.scheduleWithFixedDelay(this::evaluateNow, ms, ms, TimeUnit.MILLISECONDS);
    logger.info("alerting: {}", config);
  }

  private boolean tryRestore() {
    if (restored) {
      return true;
    }
    try {
      requireNonNull(evaluator).restore();
      restored = true;
    } catch (StoreException | RuntimeException e) {
      failures.warn("alerting: cannot read the open alerts from the store yet (evaluation waits for it)", e);
    }
    return restored;
  }

  /** One evaluation round now, on the caller's thread (the loop calls this every evaluation_interval). */
  public void evaluateNow() {
    Evaluator e = evaluator;
    if (e == null || !tryRestore()) {
      return;
    }
    e.evaluate();
  }

  /** Silences {@code fingerprint} for {@code duration} (0 lifts a silence); returns its end. */
  public Instant silence(String fingerprint, Duration duration) throws StoreException {
    if (!FINGERPRINT.matcher(fingerprint).matches()) {
      throw new IllegalArgumentException("fingerprint: \"" + fingerprint + "\" (expected: 16 hex digits)");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException("for: " + duration + " (expected: >= 0)");
    }
    return running().silence(fingerprint, duration);
  }

  /** {@code firing}, {@code pending} (JSON-ready maps) and running {@code silences}. */
  public Map<String, Object> status() {
    Evaluator e = running();
    List<Map<String, Object>> firing = new ArrayList<>();
    List<Map<String, Object>> pending = new ArrayList<>();
    for (Map<String, Object> a : e.snapshot()) {
      ("firing".equals(a.get("state")) ? firing : pending).add(a);
    }
    Map<String, Object> silences = new LinkedHashMap<>();
    e.silences().forEach((fp, until) -> silences.put(fp, until.toString()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("firing", firing);
    out.put("pending", pending);
    out.put("silences", silences);
    return out;
  }

  /**
   * Adds alerting to the admin API: the live state in {@code GET /api/v1/alerts} and {@code POST
   * /api/v1/alerts/{fingerprint}/silence?for=1h}.
   */
  public void extendApi(io.tskotel.collector.api.AdminApi.Builder api) {
    api.alertStatus(this::status).routes(this::routes);
  }

  private void routes(RoutesConfig routes) {
    routes.post("/api/v1/alerts/{fingerprint}/silence", this::silenceRoute);
  }

  private void silenceRoute(Context ctx) throws StoreException {
    String text = ctx.queryParam("for");
    TimeRange range = TimeRange.parse(text == null ? "1h" : text);
    if (range.isAll()) {
      throw new IllegalArgumentException("for: \"all\" (expected: a duration such as 1h)");
    }
    String fp = ctx.pathParam("fingerprint");
    Instant until = silence(fp, range.length());
    ctx.json(Map.of("fingerprint", fp, "silenced_until", until.toString()));
  }

  private Evaluator running() {
    Evaluator e = evaluator;
    if (e == null) {
      throw new IllegalStateException("alerting is not running");
    }
    return e;
  }

  private void registerFujsen() {
    tsk.fujsenRegistry().register("check_alerts", call -> {
      try {
        return running().check();
      } catch (StoreException e) {
        throw new IllegalStateException("check_alerts: " + e.getMessage(), e);
      }
    });
    tsk.fujsenRegistry().register("send_alert", call -> {
      if (!(call.arg(0, null) instanceof Map<?, ?> alert)) {
        throw new IllegalArgumentException(
            "send_alert: expected a map with type, severity, message, value, threshold");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (alert.get("labels") instanceof Map<?, ?> l) {
        l.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
      }
      try {
        running().send(String.valueOf(alert.get("type")), String.valueOf(alert.get("severity")),
            String.valueOf(alert.get("message")), number(alert.get("value")), number(alert.get("threshold")), labels);
      } catch (StoreException e) {
        throw new IllegalStateException("send_alert: " + e.getMessage(), e);
      }
      return alert;
    });
  }

  private static double number(@Nullable Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v == null ? 0 : Double.parseDouble(v.toString());
  }

  /** Stops the loop, then the senders (sends under way get the send timeout to finish). */
  @Override
  public synchronized void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (loop != null) {
      loop.shutdown();
      try {
        loop.awaitTermination(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (dispatcher != null) {
      dispatcher.shutdown(config.sendTimeout());
    }
    if (http != null) {
      http.close();
    }
  }
}
