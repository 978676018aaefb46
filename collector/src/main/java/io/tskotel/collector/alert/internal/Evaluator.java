package io.tskotel.collector.alert.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.alert.AlertRule;
import io.tskotel.collector.alert.AlertingConfig;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert state machine. Each {@link #evaluate()} measures every rule at the clock's now; per alert
 * (rule + labels = fingerprint): inactive → pending while the condition holds for less than {@code for}, →
 * firing after, → resolved when it stops holding (a pending alert goes back to inactive). Every transition
 * is written to {@code tskotel_alerts} before any notification leaves, so a restart ({@link #restore()})
 * neither forgets an alert nor notifies it again.
 *
 * <p>Notifications: a newly firing alert waits up to {@code group_wait} for others to go out with it; a
 * still firing alert is notified again after {@code repeat_interval}; a resolved one gets a resolved notice
 * when its firing was notified; a silenced fingerprint gets nothing until its silence ends. A rule that
 * cannot be measured (store down) keeps its alerts as they are: it never resolves them.
 */
public final class Evaluator {
  private static final Logger logger = LoggerFactory.getLogger(Evaluator.class);

  private final Map<String, AlertRule> rules = new LinkedHashMap<>();
  private final RuleQueries queries;
  private final AlertLog log;
  private final Dispatcher dispatcher;
  private final AlertingConfig config;
  private final Clock clock;
  private final AlertCounters counters;
  private final ThrottledLog failures = new ThrottledLog(logger, Duration.ofMinutes(1));

  private final Map<String, Active> active = new LinkedHashMap<>();
  private final Map<String, Instant> silences = new LinkedHashMap<>();
  private final List<Active> waiting = new ArrayList<>();
  private @Nullable Instant waitingSince;

  public Evaluator(List<AlertRule> rules, RuleQueries queries, AlertLog log, Dispatcher dispatcher,
      AlertingConfig config, Clock clock, AlertCounters counters) {
    rules.forEach(r -> this.rules.put(r.name(), r));
    this.queries = requireNonNull(queries, "queries");
    this.log = requireNonNull(log, "log");
    this.dispatcher = requireNonNull(dispatcher, "dispatcher");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.counters = requireNonNull(counters, "counters");
    counters.states(() -> count("firing"), () -> count("pending"));
  }

  /** One alert's state between evaluations. */
  private static final class Active {
    final String fingerprint;
    final AlertRule rule;
    final Map<String, String> labels;
    final Instant since;
    String state;
    double value;
    String message;
    @Nullable Instant firedAt;
    @Nullable Instant notifiedAt;

    Active(String fingerprint, AlertRule rule, Map<String, String> labels, Instant since, String state,
        double value, String message) {
      this.fingerprint = fingerprint;
      this.rule = rule;
      this.labels = labels;
      this.since = since;
      this.state = state;
      this.value = value;
      this.message = message;
    }
  }

  /**
   * Rebuilds the open alerts and silences from {@code tskotel_alerts}. A firing alert counts as notified at
   * its last transition: a restart sends nothing new. Alerts of rules no longer configured are closed.
   */
  public synchronized void restore() throws StoreException {
    Instant now = clock.instant();
    List<AlertRecord> closed = new ArrayList<>();
    for (AlertRecord r : log.open()) {
      AlertRule rule = rules.get(r.type());
      if (rule == null) {
        closed.add(row(r, r.state().equals("firing") ? "resolved" : "inactive", now));
        continue;
      }
      Active a = new Active(r.fingerprint(), rule, r.labels(), r.startedAt(), r.state(), r.value(), r.message());
      if (r.state().equals("firing")) {
        a.firedAt = r.timestamp();
        a.notifiedAt = r.timestamp();
      }
      active.put(a.fingerprint, a);
    }
    silences.putAll(log.silences(now));
    log.write(closed);
    if (!active.isEmpty()) {
      logger.info("alerting: {} open alert(s) restored", active.size());
    }
  }

  /** Measures every rule once and acts on what changed. Never throws. */
  public synchronized void evaluate() {
    Instant now = clock.instant();
    List<AlertRecord> rows = new ArrayList<>();
    List<Notice> outgoing = new ArrayList<>();
    for (AlertRule rule : rules.values()) {
      List<Sample> samples;
      try {
        samples = queries.measure(rule);
        counters.evaluation("ok");
      } catch (StoreException | RuntimeException e) {
        counters.evaluation("failed");
        failures.warn("alerting: cannot evaluate rule " + rule.name() + " (its alerts stay as they are)", e);
        continue;
      }
      Set<String> holding = new HashSet<>();
      for (Sample s : samples) {
        if (!Conditions.holds(rule.comparator(), s.value(), rule.threshold())) {
          continue;
        }
        Map<String, String> labels = new TreeMap<>(rule.labels());
        labels.putAll(s.groupLabels());
        String fp = Conditions.fingerprint(rule.name(), labels);
        holding.add(fp);
        String message = Conditions.render(rule.message(), rule.name(), rule.comparator(), rule.severity(),
            s.value(), rule.threshold(), labels);
        Active a = active.get(fp);
        if (a == null) {
          a = new Active(fp, rule, Map.copyOf(labels), now, "pending", s.value(), message);
          active.put(fp, a);
          if (rule.forDuration().isZero()) {
            fire(a, now, rows);
          } else {
            rows.add(row(a, "pending", now, null));
          }
        } else {
          a.value = s.value();
          a.message = message;
          if (a.state.equals("pending") && !now.isBefore(a.since.plus(rule.forDuration()))) {
            fire(a, now, rows);
          }
        }
        if (a.state.equals("firing")) {
          notifyFiring(a, now, outgoing);
        }
      }
      for (Iterator<Active> it = active.values().iterator(); it.hasNext(); ) {
        Active a = it.next();
        if (a.rule != rule || holding.contains(a.fingerprint)) {
          continue;
        }
        it.remove();
        if (a.state.equals("pending")) {
          rows.add(row(a, "inactive", now, null));
        } else {
          rows.add(row(a, "resolved", now, now));
          boolean wasWaiting = waiting.remove(a);
          if (!wasWaiting && a.notifiedAt != null && config.sendResolved() && !silenced(a.fingerprint, now)) {
            outgoing.add(notice(a, "resolved", now));
          }
        }
      }
    }
    if (waiting.isEmpty()) {
      waitingSince = null;
    } else if (!now.isBefore(waitingSince.plus(config.groupWait()))) {
      for (Active a : waiting) {
        a.notifiedAt = now;
        outgoing.add(notice(a, "firing", null));
      }
      waiting.clear();
      waitingSince = null;
    }
    silences.values().removeIf(until -> !until.isAfter(now));
    try {
      log.write(rows);
    } catch (StoreException | RuntimeException e) {
      failures.warn("alerting: cannot write " + rows.size() + " alert transition(s) to the store", e);
    }
    dispatcher.dispatch(outgoing);
  }

  private void fire(Active a, Instant now, List<AlertRecord> rows) {
    a.state = "firing";
    a.firedAt = now;
    rows.add(row(a, "firing", now, null));
  }

  /** First notice (through group wait), or a repeat after repeat_interval; nothing while silenced. */
  private void notifyFiring(Active a, Instant now, List<Notice> out) {
    if (silenced(a.fingerprint, now) || waiting.contains(a)) {
      return;
    }
    if (a.notifiedAt == null) {
      if (waiting.isEmpty()) {
        waitingSince = now;
      }
      waiting.add(a);
    } else if (!now.isBefore(a.notifiedAt.plus(config.repeatInterval()))) {
      a.notifiedAt = now;
      out.add(notice(a, "firing", null));
    }
  }

  private boolean silenced(String fingerprint, Instant now) {
    Instant until = silences.get(fingerprint);
    return until != null && until.isAfter(now);
  }

  /**
   * Silences {@code fingerprint} until now + {@code duration} (persisted: a restart keeps it). Returns when
   * the silence ends.
   */
  public synchronized Instant silence(String fingerprint, Duration duration) throws StoreException {
    Instant now = clock.instant();
    Instant until = now.plus(duration);
    Active a = active.get(fingerprint);
    AlertRecord row = a != null
        ? row(a, "silenced", now, until)
        : new AlertRecord(now, "", "", "silenced", 0, 0, Map.of(), "silenced", fingerprint, now, until);
    log.write(List.of(row));
    silences.put(fingerprint, until);
    waiting.remove(a);
    return until;
  }

  /** The alerts now pending or firing, each as a JSON-ready map. */
  public synchronized List<Map<String, Object>> snapshot() {
    Instant now = clock.instant();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Active a : active.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("fingerprint", a.fingerprint);
      m.put("type", a.rule.name());
      m.put("state", a.state);
      m.put("severity", a.rule.severity());
      m.put("message", a.message);
      m.put("value", a.value);
      m.put("threshold", a.rule.threshold());
      m.put("labels", new TreeMap<>(a.labels));
      m.put("started_at", a.since.toString());
      m.put("fired_at", a.firedAt == null ? null : a.firedAt.toString());
      m.put("notified_at", a.notifiedAt == null ? null : a.notifiedAt.toString());
      Instant until = silences.get(a.fingerprint);
      m.put("silenced_until", until == null || !until.isAfter(now) ? null : until.toString());
      out.add(m);
    }
    return out;
  }

  /** Running silences: fingerprint to end. */
  public synchronized Map<String, Instant> silences() {
    return Map.copyOf(silences);
  }

  /** The seed's {@code check_alerts}: every rule's breaches now, without changing any state. */
  public List<Map<String, Object>> check() throws StoreException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AlertRule rule : rules.values()) {
      for (Sample s : queries.measure(rule)) {
        if (Conditions.holds(rule.comparator(), s.value(), rule.threshold())) {
          Map<String, String> labels = new TreeMap<>(rule.labels());
          labels.putAll(s.groupLabels());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("type", rule.name());
          m.put("severity", rule.severity());
          m.put("message", Conditions.render(rule.message(), rule.name(), rule.comparator(), rule.severity(),
              s.value(), rule.threshold(), labels));
          m.put("value", s.value());
          m.put("threshold", rule.threshold());
          m.put("labels", labels);
          out.add(m);
        }
      }
    }
    return out;
  }

  /**
   * The seed's {@code send_alert}: stores one alert raised by hand and notifies the channels its severity
   * routes to, at once.
   */
  public Notice send(String type, String severity, String message, double value, double threshold,
      Map<String, String> labels) throws StoreException {
    Instant now = clock.instant();
    String fp = Conditions.fingerprint(type, labels);
    log.write(List.of(new AlertRecord(now, type, severity, message, value, threshold, labels, "firing", fp, now,
        null)));
    Notice n = new Notice("firing", fp, type, severity, message, value, threshold, labels, now, null,
        Routing.channels(severity, null, config));
    dispatcher.dispatch(List.of(n));
    return n;
  }

  private int count(String state) {
    synchronized (this) {
      return (int) active.values().stream().filter(a -> a.state.equals(state)).count();
    }
  }

  private Notice notice(Active a, String status, @Nullable Instant resolvedAt) {
    return new Notice(status, a.fingerprint, a.rule.name(), a.rule.severity(), a.message, a.value,
        a.rule.threshold(), a.labels, a.since, resolvedAt, Routing.channels(a.rule.severity(), a.rule.channels(),
        config));
  }

  private static AlertRecord row(Active a, String state, Instant now, @Nullable Instant resolvedAt) {
    return new AlertRecord(now, a.rule.name(), a.rule.severity(), a.message, a.value, a.rule.threshold(),
        a.labels, state, a.fingerprint, a.since, resolvedAt);
  }

  private static AlertRecord row(AlertRecord r, String state, Instant now) {
    return new AlertRecord(now, r.type(), r.severity(), r.message(), r.value(), r.threshold(), r.labels(), state,
        r.fingerprint(), r.startedAt(), state.equals("resolved") ? now : null);
  }
}
