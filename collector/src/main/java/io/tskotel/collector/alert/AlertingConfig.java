package io.tskotel.collector.alert;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.query.Aggregation;
import io.tskotel.collector.query.SqlFujsen;
import io.tskotel.collector.query.TimeRange;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [alerting]} section: the seed's thresholds (each one a built-in rule when set), the user's
 * rules ({@code [alerting.rules.NAME]}), evaluation and notification timing, and the notification channels.
 * Every key, its default and meaning: {@code docs/alerting.md}. {@link #fromTsk} is the one place that
 * reads the section; {@link #validate()} reports every problem at once.
 */
public final class AlertingConfig {
  public static final String SECTION = "alerting";
  public static final String RULES = SECTION + ".rules";
  public static final String PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.]+)}");
  private static final Set<String> PLAIN_PLACEHOLDERS =
      Set.of("rule", "value", "threshold", "comparator", "severity");

  /** The keys of {@code [alerting]} (fujsen and the {@code rules} table aside). */
  static final List<String> KEYS = List.of("enabled", "cpu_threshold", "memory_threshold",
      "error_rate_threshold", "response_time_threshold", "evaluation_interval", "repeat_interval",
      "group_wait", "send_resolved", "retry_backoff", "retry_max_backoff", "retry_attempts", "send_timeout",
      "slack_webhook_url", "pagerduty_routing_key", "pagerduty_url", "smtp_host", "smtp_port", "smtp_user",
      "smtp_password", "smtp_starttls", "email_from", "email_to", "webhook_url", "webhook_secret");

  /** The keys of a {@code [alerting.rules.NAME]} section. */
  static final List<String> RULE_KEYS = List.of("metric", "aggregation", "range", "filters", "comparator",
      "threshold", "for", "severity", "labels", "group_by", "message", "channels");

  private final Builder b;

  private AlertingConfig(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code [alerting]} and its rules.
   *
   * @throws IllegalArgumentException listing every problem, each as {@code file:line:col: message}
   */
  public static AlertingConfig fromTsk(Tsk tsk) {
    requireNonNull(tsk, "tsk");
    Reader r = new Reader(tsk);
    Builder builder = r.read();
    AlertingConfig config = builder.build();
    List<String> errors = new ArrayList<>(r.errors);
    for (String e : config.validate()) {
      // Rule problems start with the rule's position; the others name a key of [alerting].
      errors.add(e.startsWith(tsk.sourceName()) ? e
          : tsk.location(SECTION + "." + e.substring(0, e.indexOf(':'))) + ": [alerting] " + e);
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid configuration " + tsk.sourceName() + ":\n  " + String.join("\n  ", errors));
    }
    return config;
  }

  /** Every problem of this configuration, armeria style ({@code "groupWait: PT-1S (expected: >= 0)"}). */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    positive(errors, "evaluation_interval", b.evaluationInterval);
    positive(errors, "repeat_interval", b.repeatInterval);
    positive(errors, "retry_backoff", b.retryBackoff);
    positive(errors, "send_timeout", b.sendTimeout);
    if (b.groupWait.isNegative()) {
      errors.add("group_wait: " + b.groupWait + " (expected: >= 0)");
    }
    if (b.retryMaxBackoff.compareTo(b.retryBackoff) < 0) {
      errors.add("retry_max_backoff: " + b.retryMaxBackoff + " (expected: >= retry_backoff " + b.retryBackoff + ")");
    }
    if (b.retryAttempts < 1) {
      errors.add("retry_attempts: " + b.retryAttempts + " (expected: >= 1)");
    }
    if (b.smtpPort < 1 || b.smtpPort > 65535) {
      errors.add("smtp_port: " + b.smtpPort + " (expected: 1..65535)");
    }
    url(errors, "slack_webhook_url", b.slackWebhookUrl);
    url(errors, "webhook_url", b.webhookUrl);
    if (b.pagerdutyRoutingKey != null) {
      url(errors, "pagerduty_url", b.pagerdutyUrl);
    }
    if (b.smtpHost != null && (b.emailFrom == null || b.emailTo.isEmpty())) {
      errors.add("smtp_host: set without email_from and email_to (expected: all three)");
    }
    if (b.smtpHost == null && (b.emailFrom != null || !b.emailTo.isEmpty())) {
      errors.add("email_to: set without smtp_host (expected: smtp_host, email_from and email_to)");
    }
    Set<String> names = new LinkedHashSet<>();
    for (AlertRule rule : rules()) {
      String at = rule.location() + ": [alerting.rules." + rule.name() + "] ";
      if (!names.add(rule.name())) {
        errors.add(at + "defined twice");
      }
      if (!AlertRule.COMPARATORS.contains(rule.comparator())) {
        errors.add(at + "comparator: \"" + rule.comparator() + "\" (expected: one of > >= < <= == !=)");
      }
      if (!AlertRule.SEVERITIES.contains(rule.severity())) {
        errors.add(at + "severity: \"" + rule.severity() + "\" (expected: critical, warning or info)");
      }
      if (rule.forDuration().isNegative()) {
        errors.add(at + "for: " + rule.forDuration() + " (expected: >= 0)");
      }
      if (Double.isNaN(rule.threshold()) || Double.isInfinite(rule.threshold())) {
        errors.add(at + "threshold: " + rule.threshold() + " (expected: a finite number)");
      }
      if (rule.channels() != null) {
        for (String channel : rule.channels()) {
          if (!AlertRule.CHANNELS.contains(channel)) {
            errors.add(at + "channels: \"" + channel + "\" (expected: email, slack, pagerduty or webhook)");
          } else if (!channelConfigured(channel)) {
            errors.add(at + "channels: \"" + channel + "\" is not configured in [alerting]");
          }
        }
      }
      if (rule.source() instanceof AlertRule.Metric m && rule.groupBy().size() > 1) {
        errors.add(at + "group_by: " + rule.groupBy() + " (expected: one label for a metric rule)");
      }
      if (rule.source() instanceof AlertRule.Metric m) {
        check(errors, at, () -> Aggregation.parse(m.aggregation()));
        check(errors, at, () -> TimeRange.parse(m.range()));
      }
      if (rule.source() instanceof AlertRule.Sql s) {
        check(errors, at, () -> TimeRange.parse(s.range()));
      }
      Matcher matcher = PLACEHOLDER.matcher(rule.message());
      while (matcher.find()) {
        String p = matcher.group(1);
        if (!PLAIN_PLACEHOLDERS.contains(p) && !(p.startsWith("labels.") && p.length() > 7)) {
          errors.add(at + "message: unknown placeholder {" + p
              + "} (expected: {rule} {value} {threshold} {comparator} {severity} {labels.KEY})");
        }
      }
    }
    return errors;
  }

  private static void check(List<String> errors, String prefix, Runnable parse) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      errors.add(prefix + e.getMessage());
    }
  }

  private static void positive(List<String> errors, String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      errors.add(key + ": " + d + " (expected: > 0)");
    }
  }

  private static void url(List<String> errors, String key, @Nullable String url) {
    if (url == null) {
      return;
    }
    try {
      URI uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        // The value may be a secret (a Slack webhook URL is one): say what is wrong, never echo it.
        errors.add(key + ": not an http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      errors.add(key + ": not a URL");
    }
  }

  /** Whether {@code channel} (email, slack, pagerduty, webhook) has what it needs to send. */
  public boolean channelConfigured(String channel) {
    return switch (channel) {
      case "email" -> b.smtpHost != null;
      case "slack" -> b.slackWebhookUrl != null;
      case "pagerduty" -> b.pagerdutyRoutingKey != null;
      case "webhook" -> b.webhookUrl != null;
      default -> false;
    };
  }

  /** Whether the evaluator runs at all ({@code enabled}, default true). */
  public boolean enabled() {
    return b.enabled;
  }

  /** The built-in rules of the set thresholds, then the user's rules. */
  public List<AlertRule> rules() {
    List<AlertRule> out = new ArrayList<>();
    if (b.cpuThreshold != null) {
      out.add(builtIn("high_cpu", new AlertRule.Metric("cpu_usage", "avg", "1m", Map.of()), b.cpuThreshold,
          "warning", "CPU usage is {value}% (threshold: {threshold}%)"));
    }
    if (b.memoryThreshold != null) {
      out.add(builtIn("high_memory", new AlertRule.Metric("memory_usage", "avg", "1m", Map.of()),
          b.memoryThreshold, "warning", "Memory usage is {value}% (threshold: {threshold}%)"));
    }
    if (b.errorRateThreshold != null) {
      out.add(builtIn("high_error_rate", new AlertRule.ErrorRate(Duration.ofMinutes(5)), b.errorRateThreshold,
          "critical", "Error rate is {value}% (threshold: {threshold}%)"));
    }
    if (b.responseTimeThreshold != null) {
      out.add(builtIn("slow_response", new AlertRule.Metric("response_time", "avg", "5m", Map.of()),
          b.responseTimeThreshold, "warning", "Average response time is {value}s (threshold: {threshold}s)"));
    }
    out.addAll(b.rules);
    return List.copyOf(out);
  }

  private AlertRule builtIn(String name, AlertRule.Source source, double threshold, String severity,
      String message) {
    return new AlertRule(name, source, ">", threshold, Duration.ZERO, severity, Map.of(), List.of(), message,
        null, b.location.getOrDefault(name, "[alerting]"));
  }

  public Duration evaluationInterval() {
    return b.evaluationInterval;
  }

  public Duration repeatInterval() {
    return b.repeatInterval;
  }

  public Duration groupWait() {
    return b.groupWait;
  }

  public boolean sendResolved() {
    return b.sendResolved;
  }

  public Duration retryBackoff() {
    return b.retryBackoff;
  }

  public Duration retryMaxBackoff() {
    return b.retryMaxBackoff;
  }

  public int retryAttempts() {
    return b.retryAttempts;
  }

  public Duration sendTimeout() {
    return b.sendTimeout;
  }

  public @Nullable String slackWebhookUrl() {
    return b.slackWebhookUrl;
  }

  public @Nullable String pagerdutyRoutingKey() {
    return b.pagerdutyRoutingKey;
  }

  public String pagerdutyUrl() {
    return b.pagerdutyUrl;
  }

  public @Nullable String smtpHost() {
    return b.smtpHost;
  }

  public int smtpPort() {
    return b.smtpPort;
  }

  public @Nullable String smtpUser() {
    return b.smtpUser;
  }

  public @Nullable String smtpPassword() {
    return b.smtpPassword;
  }

  public boolean smtpStarttls() {
    return b.smtpStarttls;
  }

  public @Nullable String emailFrom() {
    return b.emailFrom;
  }

  public List<String> emailTo() {
    return b.emailTo;
  }

  public @Nullable String webhookUrl() {
    return b.webhookUrl;
  }

  public @Nullable String webhookSecret() {
    return b.webhookSecret;
  }

  /** Names what is configured, never a secret. */
  @Override
  public String toString() {
    List<String> channels = AlertRule.CHANNELS.stream().filter(this::channelConfigured).toList();
    return "AlertingConfig{rules=" + rules().stream().map(AlertRule::name).toList() + ", channels=" + channels
        + ", evaluationInterval=" + b.evaluationInterval + "}";
  }

  /** Defaults: evaluation every 15s, repeat after 4h, group wait 30s, resolved notices on, no channel. */
  public static final class Builder {
    private boolean enabled = true;
    private @Nullable Double cpuThreshold;
    private @Nullable Double memoryThreshold;
    private @Nullable Double errorRateThreshold;
    private @Nullable Double responseTimeThreshold;
    private final List<AlertRule> rules = new ArrayList<>();
    private final Map<String, String> location = new LinkedHashMap<>();
    private Duration evaluationInterval = Duration.ofSeconds(15);
    private Duration repeatInterval = Duration.ofHours(4);
    private Duration groupWait = Duration.ofSeconds(30);
    private boolean sendResolved = true;
    private Duration retryBackoff = Duration.ofSeconds(1);
    private Duration retryMaxBackoff = Duration.ofMinutes(1);
    private int retryAttempts = 8;
    private Duration sendTimeout = Duration.ofSeconds(10);
    private @Nullable String slackWebhookUrl;
    private @Nullable String pagerdutyRoutingKey;
    private String pagerdutyUrl = PAGERDUTY_EVENTS_URL;
    private @Nullable String smtpHost;
    private int smtpPort = 25;
    private @Nullable String smtpUser;
    private @Nullable String smtpPassword;
    private boolean smtpStarttls;
    private @Nullable String emailFrom;
    private List<String> emailTo = List.of();
    private @Nullable String webhookUrl;
    private @Nullable String webhookSecret;

    private Builder() {}

    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    public Builder cpuThreshold(@Nullable Double v) {
      this.cpuThreshold = v;
      return this;
    }

    public Builder memoryThreshold(@Nullable Double v) {
      this.memoryThreshold = v;
      return this;
    }

    public Builder errorRateThreshold(@Nullable Double v) {
      this.errorRateThreshold = v;
      return this;
    }

    public Builder responseTimeThreshold(@Nullable Double v) {
      this.responseTimeThreshold = v;
      return this;
    }

    public Builder addRule(AlertRule rule) {
      rules.add(requireNonNull(rule, "rule"));
      return this;
    }

    public Builder evaluationInterval(Duration v) {
      this.evaluationInterval = requireNonNull(v, "evaluationInterval");
      return this;
    }

    public Builder repeatInterval(Duration v) {
      this.repeatInterval = requireNonNull(v, "repeatInterval");
      return this;
    }

    public Builder groupWait(Duration v) {
      this.groupWait = requireNonNull(v, "groupWait");
      return this;
    }

    public Builder sendResolved(boolean v) {
      this.sendResolved = v;
      return this;
    }

    public Builder retryBackoff(Duration v) {
      this.retryBackoff = requireNonNull(v, "retryBackoff");
      return this;
    }

    public Builder retryMaxBackoff(Duration v) {
      this.retryMaxBackoff = requireNonNull(v, "retryMaxBackoff");
      return this;
    }

    public Builder retryAttempts(int v) {
      this.retryAttempts = v;
      return this;
    }

    public Builder sendTimeout(Duration v) {
      this.sendTimeout = requireNonNull(v, "sendTimeout");
      return this;
    }

    public Builder slackWebhookUrl(@Nullable String v) {
      this.slackWebhookUrl = v;
      return this;
    }

    public Builder pagerdutyRoutingKey(@Nullable String v) {
      this.pagerdutyRoutingKey = v;
      return this;
    }

    public Builder pagerdutyUrl(String v) {
      this.pagerdutyUrl = requireNonNull(v, "pagerdutyUrl");
      return this;
    }

    public Builder smtpHost(@Nullable String v) {
      this.smtpHost = v;
      return this;
    }

    public Builder smtpPort(int v) {
      this.smtpPort = v;
      return this;
    }

    public Builder smtpUser(@Nullable String v) {
      this.smtpUser = v;
      return this;
    }

    public Builder smtpPassword(@Nullable String v) {
      this.smtpPassword = v;
      return this;
    }

    public Builder smtpStarttls(boolean v) {
      this.smtpStarttls = v;
      return this;
    }

    public Builder emailFrom(@Nullable String v) {
      this.emailFrom = v;
      return this;
    }

    public Builder emailTo(List<String> v) {
      this.emailTo = List.copyOf(v);
      return this;
    }

    public Builder webhookUrl(@Nullable String v) {
      this.webhookUrl = v;
      return this;
    }

    public Builder webhookSecret(@Nullable String v) {
      this.webhookSecret = v;
      return this;
    }

    public AlertingConfig build() {
      return new AlertingConfig(this);
    }
  }

  /** Reads the TSK keys into a builder, collecting every bad value with its position. */
  private static final class Reader {
    private final Tsk tsk;
    private final Builder b = new Builder();
    private final List<String> errors = new ArrayList<>();

    Reader(Tsk tsk) {
      this.tsk = tsk;
    }

    Builder read() {
      if (tsk.get(SECTION) == null) {
        return b;
      }
      value("enabled", tsk::getBoolean).ifPresent(b::enabled);
      threshold("cpu_threshold", "high_cpu").ifPresent(b::cpuThreshold);
      threshold("memory_threshold", "high_memory").ifPresent(b::memoryThreshold);
      threshold("error_rate_threshold", "high_error_rate").ifPresent(b::errorRateThreshold);
      threshold("response_time_threshold", "slow_response").ifPresent(b::responseTimeThreshold);
      value("evaluation_interval", tsk::getDuration).ifPresent(b::evaluationInterval);
      value("repeat_interval", tsk::getDuration).ifPresent(b::repeatInterval);
      value("group_wait", tsk::getDuration).ifPresent(b::groupWait);
      value("send_resolved", tsk::getBoolean).ifPresent(b::sendResolved);
      value("retry_backoff", tsk::getDuration).ifPresent(b::retryBackoff);
      value("retry_max_backoff", tsk::getDuration).ifPresent(b::retryMaxBackoff);
      value("retry_attempts", tsk::getInt).ifPresent(b::retryAttempts);
      value("send_timeout", tsk::getDuration).ifPresent(b::sendTimeout);
      text("slack_webhook_url").ifPresent(b::slackWebhookUrl);
      text("pagerduty_routing_key").ifPresent(b::pagerdutyRoutingKey);
      text("pagerduty_url").ifPresent(b::pagerdutyUrl);
      text("smtp_host").ifPresent(b::smtpHost);
      value("smtp_port", tsk::getInt).ifPresent(b::smtpPort);
      text("smtp_user").ifPresent(b::smtpUser);
      text("smtp_password").ifPresent(b::smtpPassword);
      value("smtp_starttls", tsk::getBoolean).ifPresent(b::smtpStarttls);
      text("email_from").ifPresent(b::emailFrom);
      value("email_to", this::strings).ifPresent(b::emailTo);
      text("webhook_url").ifPresent(b::webhookUrl);
      text("webhook_secret").ifPresent(b::webhookSecret);
      for (String key : tsk.keys(SECTION)) {
        if (!KEYS.contains(key) && !key.equals("rules") && !key.endsWith("_fujsen")) {
          errors.add(tsk.location(SECTION + "." + key) + ": [alerting] " + key
              + ": unknown key (expected one of: " + String.join(", ", KEYS) + ", rules)");
        }
      }
      if (tsk.get(RULES) != null) {
        try {
          for (String name : tsk.keys(RULES)) {
            rule(name);
          }
        } catch (IllegalArgumentException e) {
          errors.add(e.getMessage());
        }
      }
      return b;
    }

    private void rule(String name) {
      String section = RULES + "." + name;
      if (!(tsk.get(section) instanceof Map)) {
        errors.add(tsk.location(section) + ": [alerting.rules] " + name
            + ": not a section (expected: [alerting.rules." + name + "] with metric or query_fujsen)");
        return;
      }
      String at = tsk.location(section);
      int before = errors.size();
      Map<String, String> fujsen = tsk.fujsen(section);
      for (String key : tsk.keys(section)) {
        if (!RULE_KEYS.contains(key) && !key.endsWith("_fujsen")) {
          errors.add(tsk.location(section + "." + key) + ": [" + section + "] " + key
              + ": unknown key (expected one of: " + String.join(", ", RULE_KEYS) + ", query_fujsen)");
        }
      }
      String metric = ruleValue(section, "metric", tsk::getString);
      String range = orElse(ruleValue(section, "range", tsk::getString), "5m");
      AlertRule.Source source = null;
      if (metric != null && !fujsen.isEmpty()) {
        errors.add(at + ": [" + section + "] metric and a query fujsen: both set (expected: one of them)");
      } else if (metric != null) {
        Map<String, String> filters = orElse(ruleValue(section, "filters", this::stringMap), Map.of());
        source = new AlertRule.Metric(metric,
            orElse(ruleValue(section, "aggregation", tsk::getString), "avg"), range, filters);
      } else if (fujsen.size() == 1) {
        Map.Entry<String, String> f = fujsen.entrySet().iterator().next();
        try {
          Optional<SqlFujsen> sql = SqlFujsen.parse(section, f.getKey(), f.getValue());
          if (sql.isEmpty()) {
            errors.add(tsk.location(section + "." + f.getKey() + "_fujsen") + ": [" + section + "] "
                + f.getKey() + "_fujsen: not a SQL query (expected: a SELECT returning one value)");
          } else {
            source = new AlertRule.Sql(section, f.getKey(), sql.get().sql(), range);
          }
        } catch (IllegalArgumentException e) {
          errors.add(tsk.location(section + "." + f.getKey() + "_fujsen") + ": " + e.getMessage());
        }
      } else {
        errors.add(at + ": [" + section + "] " + (fujsen.isEmpty() ? "neither metric nor a query fujsen"
            : "more than one fujsen") + " (expected: metric, or one SQL fujsen such as query_fujsen)");
      }
      Double threshold = ruleValue(section, "threshold", tsk::getDouble);
      if (threshold == null && tsk.get(section + ".threshold") == null) {
        errors.add(at + ": [" + section + "] threshold: missing (expected: a number)");
      }
      String comparator = orElse(ruleValue(section, "comparator", tsk::getString), ">");
      Duration forDuration = orElse(ruleValue(section, "for", tsk::getDuration), Duration.ZERO);
      String severity = orElse(ruleValue(section, "severity", tsk::getString), "warning");
      Map<String, String> labels = orElse(ruleValue(section, "labels", this::stringMap), Map.of());
      List<String> groupBy = orElse(ruleValue(section, "group_by", this::strings), List.of());
      String message = orElse(ruleValue(section, "message", tsk::getString),
          "{rule}: {value} {comparator} {threshold}");
      List<String> channels = ruleValue(section, "channels", this::strings);
      if (errors.size() == before && source != null && threshold != null) {
        b.addRule(new AlertRule(name, source, comparator, threshold, forDuration, severity, labels, groupBy,
            message, channels, at));
      }
    }

    private <T> @Nullable T ruleValue(String section, String key, Function<String, T> getter) {
      String path = section + "." + key;
      if (tsk.get(path) == null) {
        return null;
      }
      try {
        return getter.apply(path);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
        return null;
      }
    }

    private static <T> T orElse(@Nullable T value, T defaultValue) {
      return value == null ? defaultValue : value;
    }

    private Optional<Double> threshold(String key, String rule) {
      Optional<Double> v = value(key, tsk::getDouble);
      v.ifPresent(x -> b.location.put(rule, tsk.location(SECTION + "." + key)));
      return v;
    }

    private Optional<String> text(String key) {
      return value(key, tsk::getString).filter(s -> !s.isBlank());
    }

    private <T> Optional<T> value(String key, Function<String, T> getter) {
      return Optional.ofNullable(ruleValue(SECTION, key, getter));
    }

    /** An array of strings, or one string (a comma-separated list, as {@code @env} supplies it). */
    private List<String> strings(String path) {
      if (tsk.get(path) instanceof String s) {
        return s.isBlank() ? List.of() : List.of(s.split("\\s*,\\s*"));
      }
      List<String> out = new ArrayList<>();
      for (Object o : tsk.getList(path)) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException(tsk.location(path) + ": " + path
              + ": an array holding a non-string (expected: an array of strings)");
        }
        out.add(s);
      }
      return out;
    }

    /** A table of plain values; a dotted key ({@code service.name: "x"}) nests in TSK and is joined back. */
    private Map<String, String> stringMap(String path) {
      Map<String, String> out = new LinkedHashMap<>();
      flatten(path, "", tsk.getSection(path), out);
      return out;
    }

    private void flatten(String path, String prefix, Map<String, @Nullable Object> table, Map<String, String> out) {
      for (Map.Entry<String, @Nullable Object> e : table.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, @Nullable Object> child = (Map<String, @Nullable Object>) m;
          flatten(path, prefix + e.getKey() + ".", child, out);
        } else if (v instanceof List || v == null) {
          throw new IllegalArgumentException(tsk.location(path) + ": " + path + "." + prefix + e.getKey()
              + ": not a plain value (expected: { key: \"value\" })");
        } else {
          out.put(prefix + e.getKey(), String.valueOf(v));
        }
      }
    }
  }
}
