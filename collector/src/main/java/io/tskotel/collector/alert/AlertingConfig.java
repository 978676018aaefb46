package io.tskotel.collector.alert;

import static io.tskotel.tsk.ValueType.BOOLEAN;
import static io.tskotel.tsk.ValueType.DOUBLE;
import static io.tskotel.tsk.ValueType.DURATION;
import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.STRING;
import static java.util.Objects.requireNonNull;

import io.tskotel.collector.query.Aggregation;
import io.tskotel.collector.query.SqlFujsen;
import io.tskotel.collector.query.TimeRange;
import io.tskotel.tsk.SettingsException;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.ValueType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The {@code [alerting]} section: the seed's thresholds (each one a built-in rule when set), the user's
 * rules ({@code [alerting.rules.NAME]}), evaluation and notification timing, and the notification channels.
 * Every key, its default and meaning: {@code docs/alerting.md}. {@link #read} is the one place that reads
 * the section (through the collector's {@link SettingsReader}, so {@code tskotel run} and {@code tskotel
 * check} report its errors with every other section's); {@link #validate()} reports every problem at once.
 */
public final class AlertingConfig {
  public static final String SECTION = "alerting";
  public static final String RULES = SECTION + ".rules";
  public static final String PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.]+)}");
  /** A rule's problem from {@link #validate()}: {@code rules.NAME: [key: ]message}. */
  private static final Pattern RULE_ERROR = Pattern.compile("rules\\.([^:]+): (?:([a-z_]+): )?(.*)", Pattern.DOTALL);
  private static final Set<String> PLAIN_PLACEHOLDERS =
      Set.of("rule", "value", "threshold", "comparator", "severity");

  private final Builder b;

  private AlertingConfig(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads {@code [alerting]} and its rules from {@code tsk} alone (a standalone use, a test).
   *
   * @throws SettingsException listing every problem, each as {@code file:line:col: message}
   */
  public static AlertingConfig fromTsk(Tsk tsk) {
    return SettingsReader.readOnly(requireNonNull(tsk, "tsk"), AlertingConfig::read);
  }

  /**
   * Reads {@code [alerting]} and every {@code [alerting.rules.NAME]} through {@code r}: bad values, and what
   * {@link #validate()} finds, are errors in {@code r} at the key's {@code file:line:col}; unknown keys are
   * {@code r}'s to report. Returns the configuration with defaults in place of bad values.
   */
  public static AlertingConfig read(SettingsReader r) {
    Builder b = new Reader(r).read();
    AlertingConfig config = b.build();
    SettingsReader.Section alerting = r.section(SECTION);
    SettingsReader.Section rules = r.section(RULES);
    for (String e : config.validate()) {
      Matcher rule = RULE_ERROR.matcher(e);
      if (rule.matches()) {
        String name = rule.group(1);
        String key = rule.group(2);
        if (key != null && r.tsk().has(RULES + "." + name + "." + key)) {
          r.section(RULES + "." + name).error(key, rule.group(3));
        } else {
          rules.error(name, (key == null ? "" : key + ": ") + rule.group(3));
        }
      } else {
        int colon = e.indexOf(':');
        alerting.error(e.substring(0, colon), e.substring(colon + 2));
      }
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
      String at = "rules." + rule.name() + ": ";
      if (!names.add(rule.name())) {
        errors.add(at + "defined twice (as a built-in rule or another section)");
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

  /** Reads the TSK keys into a builder; every bad value is an error in the settings reader. */
  private static final class Reader {
    private final SettingsReader r;
    private final Tsk tsk;
    private final SettingsReader.Section s;
    private final Builder b = new Builder();

    Reader(SettingsReader r) {
      this.r = r;
      this.tsk = r.tsk();
      this.s = r.section(SECTION);
    }

    Builder read() {
      s.ifPresent("enabled", BOOLEAN, b::enabled);
      threshold("cpu_threshold", "high_cpu", b::cpuThreshold);
      threshold("memory_threshold", "high_memory", b::memoryThreshold);
      threshold("error_rate_threshold", "high_error_rate", b::errorRateThreshold);
      threshold("response_time_threshold", "slow_response", b::responseTimeThreshold);
      s.ifPresent("evaluation_interval", DURATION, b::evaluationInterval);
      s.ifPresent("repeat_interval", DURATION, b::repeatInterval);
      s.ifPresent("group_wait", DURATION, b::groupWait);
      s.ifPresent("send_resolved", BOOLEAN, b::sendResolved);
      s.ifPresent("retry_backoff", DURATION, b::retryBackoff);
      s.ifPresent("retry_max_backoff", DURATION, b::retryMaxBackoff);
      s.ifPresent("retry_attempts", INT, b::retryAttempts);
      s.ifPresent("send_timeout", DURATION, b::sendTimeout);
      text("slack_webhook_url", b::slackWebhookUrl);
      text("pagerduty_routing_key", b::pagerdutyRoutingKey);
      text("pagerduty_url", b::pagerdutyUrl);
      text("smtp_host", b::smtpHost);
      s.ifPresent("smtp_port", INT, b::smtpPort);
      text("smtp_user", b::smtpUser);
      text("smtp_password", b::smtpPassword);
      s.ifPresent("smtp_starttls", BOOLEAN, b::smtpStarttls);
      text("email_from", b::emailFrom);
      s.ifPresent("email_to", STRING_LIST, b::emailTo);
      text("webhook_url", b::webhookUrl);
      text("webhook_secret", b::webhookSecret);
      if (tsk.get(RULES) != null) {
        SettingsReader.Section rules = r.section(RULES);
        for (String name : s.tables("rules")) {
          rule(rules, name);
        }
      }
      return b;
    }

    private void rule(SettingsReader.Section rules, String name) {
      String section = RULES + "." + name;
      SettingsReader.Section rule = r.section(section);
      String at = tsk.location(section);
      int before = r.errors().size();
      Map<String, String> fujsen = tsk.fujsen(section);
      String metric = rule.get("metric", STRING);
      String range = rule.get("range", STRING, "5m");
      String aggregation = rule.get("aggregation", STRING, "avg");
      Map<String, String> filters = rule.get("filters", STRING_MAP, Map.of());
      AlertRule.Source source = null;
      if (metric != null && !fujsen.isEmpty()) {
        rule.error("metric", "set with a query fujsen (expected: one of them)");
      } else if (metric != null) {
        source = new AlertRule.Metric(metric, aggregation, range, filters);
      } else if (fujsen.size() == 1) {
        Map.Entry<String, String> f = fujsen.entrySet().iterator().next();
        try {
          Optional<SqlFujsen> sql = SqlFujsen.parse(section, f.getKey(), f.getValue());
          if (sql.isEmpty()) {
            rule.error(f.getKey() + "_fujsen", "not a SQL query (expected: a SELECT returning one value)");
          } else {
            source = new AlertRule.Sql(section, f.getKey(), sql.get().sql(), range);
          }
        } catch (IllegalArgumentException e) {
          rule.error(f.getKey() + "_fujsen", e.getMessage());
        }
      } else {
        rules.error(name, (fujsen.isEmpty() ? "neither metric nor a query fujsen" : "more than one fujsen")
            + " (expected: metric, or one SQL fujsen such as query_fujsen)");
      }
      Double threshold = rule.get("threshold", DOUBLE);
      if (threshold == null && tsk.get(section + ".threshold") == null) {
        rules.error(name, "threshold: missing (expected: a number)");
      }
      String comparator = rule.get("comparator", STRING, ">");
      Duration forDuration = rule.get("for", DURATION, Duration.ZERO);
      String severity = rule.get("severity", STRING, "warning");
      Map<String, String> labels = rule.get("labels", STRING_MAP, Map.of());
      List<String> groupBy = rule.get("group_by", STRING_LIST, List.of());
      String message = rule.get("message", STRING, "{rule}: {value} {comparator} {threshold}");
      List<String> channels = rule.get("channels", STRING_LIST);
      if (r.errors().size() == before && source != null && threshold != null) {
        b.addRule(new AlertRule(name, source, comparator, threshold, forDuration, severity, labels, groupBy,
            message, channels, at));
      }
    }

    private void threshold(String key, String rule, Consumer<Double> setter) {
      Double v = s.get(key, DOUBLE);
      if (v != null) {
        b.location.put(rule, tsk.location(SECTION + "." + key));
        setter.accept(v);
      }
    }

    /** A string; blank means unset (what {@code @env("X", "")} gives when X is not set). */
    private void text(String key, Consumer<String> setter) {
      String v = s.get(key, STRING);
      if (v != null && !v.isBlank()) {
        setter.accept(v);
      }
    }
  }

  /** An array of strings, or one string of comma-separated values (what {@code @env} can supply). */
  private static final ValueType<List<String>> STRING_LIST = (tsk, path) -> {
    if (tsk.get(path) instanceof String text) {
      return text.isBlank() ? List.of() : List.of(text.split("\\s*,\\s*"));
    }
    return ValueType.STRINGS.read(tsk, path);
  };

  /** A table of plain values; a dotted key ({@code service.name: "x"}) nests in TSK and is joined back. */
  private static final ValueType<Map<String, String>> STRING_MAP = (tsk, path) -> {
    Map<String, String> out = new LinkedHashMap<>();
    flatten(tsk, path, "", tsk.getSection(path), out);
    return out;
  };

  private static void flatten(Tsk tsk, String path, String prefix, Map<String, @Nullable Object> table,
      Map<String, String> out) {
    for (Map.Entry<String, @Nullable Object> e : table.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> child = (Map<String, @Nullable Object>) m;
        flatten(tsk, path, prefix + e.getKey() + ".", child, out);
      } else if (v instanceof List || v == null) {
        throw new IllegalArgumentException(tsk.location(path) + ": " + path + "." + prefix + e.getKey()
            + ": not a plain value (expected: { key: \"value\" })");
      } else {
        out.put(prefix + e.getKey(), String.valueOf(v));
      }
    }
  }
}
