package io.tskotel.sdk.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.tskotel.tsk.Instrument;
import io.tskotel.tsk.InstrumentKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The instruments an application records into, by TSK key ({@code request_count}) or metric name
 * ({@code requests_total}): the document's {@code @metric} declarations first, then the seed's instruments
 * the document does not declare, then instruments created on first use for names nobody declared (a gauge for
 * {@code recordMetric}, a counter for {@code incrementMetric}, as the seed's free-form names).
 */
public final class Instruments {
  private static final Logger logger = Logger.getLogger(Instruments.class.getName());
  /** Bounds instruments created from arbitrary names: a typo in a loop must not grow memory forever. */
  static final int MAX_DYNAMIC = 1000;

  /** The seed document's instruments ([metrics], [business_metrics]) plus those the SDK itself records. */
  static final List<Instrument> SEED = List.of(
      seed("request_count", InstrumentKind.COUNTER, "requests_total", "{request}", "Requests handled"),
      seed("response_time", InstrumentKind.HISTOGRAM, "response_time_seconds", "s", "Request duration"),
      seed("error_count", InstrumentKind.COUNTER, "errors_total", "{error}", "Failed requests and logged errors"),
      seed("active_connections", InstrumentKind.GAUGE, "active_connections", "{connection}", ""),
      seed("user_registrations", InstrumentKind.COUNTER, "user_registrations_total", "{user}", ""),
      seed("payment_volume", InstrumentKind.COUNTER, "payment_volume_total", "", ""),
      seed("api_calls", InstrumentKind.COUNTER, "api_calls_total", "{call}", ""),
      seed("daily_active_users", InstrumentKind.GAUGE, "daily_active_users", "{user}", "Logins today"),
      seed("user_session_duration", InstrumentKind.HISTOGRAM, "user_session_duration_seconds", "s",
          "Session length at logout"),
      seed("feature_usage", InstrumentKind.COUNTER, "feature_usage_total", "{use}", "Feature uses by feature"),
      seed("revenue_daily", InstrumentKind.COUNTER, "revenue_daily_total", "", "Revenue of successful payments"),
      seed("transaction_volume", InstrumentKind.COUNTER, "transaction_volume_total", "{payment}",
          "Successful payments"),
      seed("payment_success_rate", InstrumentKind.GAUGE, "payment_success_rate", "%",
          "Successful payments over the last 24h, percent"),
      seed("payments", InstrumentKind.COUNTER, "payments_total", "{payment}", "Payment attempts by outcome"),
      seed("trace_duration", InstrumentKind.HISTOGRAM, "trace_duration", "s", "Duration of startTrace..endTrace"),
      seed("cpu_usage", InstrumentKind.GAUGE, "cpu_usage", "%", "System CPU use"),
      seed("memory_usage", InstrumentKind.GAUGE, "memory_usage", "%", "System memory in use"),
      seed("disk_usage", InstrumentKind.GAUGE, "disk_usage", "%", "Disk space in use"),
      seed("memory_available", InstrumentKind.GAUGE, "memory_available", "By", "Memory available"),
      seed("disk_free", InstrumentKind.GAUGE, "disk_free", "By", "Disk space free"),
      seed("system_cpu_utilization", InstrumentKind.GAUGE, "system.cpu.utilization", "1", "System CPU use"),
      seed("system_memory_utilization", InstrumentKind.GAUGE, "system.memory.utilization", "1",
          "System memory in use"),
      seed("system_filesystem_utilization", InstrumentKind.GAUGE, "system.filesystem.utilization", "1",
          "Disk space in use"),
      seed("system_linux_memory_available", InstrumentKind.GAUGE, "system.linux.memory.available", "By",
          "Memory available"),
      seed("system_filesystem_usage", InstrumentKind.GAUGE, "system.filesystem.usage", "By",
          "Disk space by state"));

  private final Meter meter;
  private final Map<String, Inst> declared;
  private final Map<String, Inst> dynamic = new ConcurrentHashMap<>();
  private final Throttle overflow = new Throttle();

  public Instruments(Meter meter, List<Instrument> fromTsk) {
    this.meter = meter;
    Map<String, Inst> byName = new HashMap<>();
    Map<String, Inst> all = new HashMap<>();
    List<Instrument> order = new ArrayList<>(fromTsk);
    order.addAll(SEED);
    for (Instrument i : order) {
      Inst inst = byName.get(i.name());
      if (inst == null) {
        if (all.containsKey(i.key()) || all.containsKey(i.name())) {
          continue; // the document redefined this seed key or name: the document wins
        }
        inst = create(meter, i.kind(), i.name(), i.unit(), i.description());
        byName.put(i.name(), inst);
        all.put(i.name(), inst);
      }
      all.putIfAbsent(i.key(), inst);
    }
    this.declared = all; // never modified after construction; HashMap is the fastest lookup on the hot path
  }

  private static Instrument seed(String key, InstrumentKind kind, String name, String unit, String description) {
    return new Instrument("", key, kind, name, unit, description);
  }

  /** The instrument for a key or name; for an unknown one, a new {@code kind} instrument (or null past the cap). */
  public Inst get(String nameOrKey, InstrumentKind kindIfNew) {
    Inst inst = declared.get(nameOrKey);
    if (inst != null) {
      return inst;
    }
    inst = dynamic.get(nameOrKey);
    if (inst != null) {
      return inst;
    }
    if (dynamic.size() >= MAX_DYNAMIC) {
      if (overflow.allow()) {
        logger.log(Level.WARNING, "more than {0} undeclared metric names; dropping ''{1}'' (declare it with @metric)",
            new Object[] {MAX_DYNAMIC, nameOrKey});
      }
      return Inst.DROPPED;
    }
    return dynamic.computeIfAbsent(nameOrKey, n -> create(meter, kindIfNew, n, "", ""));
  }

  /** The declared (or seed) instrument for a key or name, or null. */
  public Inst declared(String nameOrKey) {
    return declared.get(nameOrKey);
  }

  private static Inst create(Meter meter, InstrumentKind kind, String name, String unit, String description) {
    return switch (kind) {
      case COUNTER -> new Counter(name,
          meter.counterBuilder(name).ofDoubles().setUnit(unit).setDescription(description).build());
      case UPDOWNCOUNTER -> new UpDown(name,
          meter.upDownCounterBuilder(name).ofDoubles().setUnit(unit).setDescription(description).build());
      case HISTOGRAM -> new Histogram(name,
          meter.histogramBuilder(name).setUnit(unit).setDescription(description).build());
      case GAUGE -> new Gauge(name, meter.gaugeBuilder(name).setUnit(unit).setDescription(description).build());
    };
  }

  /**
   * One instrument, whatever its kind, with the seed's two verbs; {@link #record} and {@link #increment} never
   * throw.
   */
  public abstract static class Inst {
    static final Inst DROPPED = new Inst("", InstrumentKind.GAUGE) {
      @Override
      public void record(double value, Attributes attributes) {}

      @Override
      public void increment(double by, Attributes attributes) {}
    };

    private final String name;
    private final InstrumentKind kind;

    Inst(String name, InstrumentKind kind) {
      this.name = name;
      this.kind = kind;
    }

    public String name() {
      return name;
    }

    public InstrumentKind kind() {
      return kind;
    }

    /** The seed's record_metric: a gauge is set, a histogram observes, a counter adds. */
    public abstract void record(double value, Attributes attributes);

    /** The seed's increment_metric: counters add; a gauge goes up by {@code by} from its running total. */
    public abstract void increment(double by, Attributes attributes);
  }

  private static final class Counter extends Inst {
    private final DoubleCounter counter;
    private final Throttle negative = new Throttle();

    Counter(String name, DoubleCounter counter) {
      super(name, InstrumentKind.COUNTER);
      this.counter = counter;
    }

    @Override
    public void record(double value, Attributes attributes) {
      increment(value, attributes);
    }

    @Override
    public void increment(double by, Attributes attributes) {
      if (by >= 0) {
        counter.add(by, attributes);
      } else if (negative.allow()) { // also NaN
        logger.log(Level.WARNING, "counter ''{0}'' cannot go down; dropped {1}", new Object[] {name(), by});
      }
    }
  }

  private static final class UpDown extends Inst {
    private final DoubleUpDownCounter counter;

    UpDown(String name, DoubleUpDownCounter counter) {
      super(name, InstrumentKind.UPDOWNCOUNTER);
      this.counter = counter;
    }

    @Override
    public void record(double value, Attributes attributes) {
      counter.add(value, attributes);
    }

    @Override
    public void increment(double by, Attributes attributes) {
      counter.add(by, attributes);
    }
  }

  private static final class Histogram extends Inst {
    private final DoubleHistogram histogram;

    Histogram(String name, DoubleHistogram histogram) {
      super(name, InstrumentKind.HISTOGRAM);
      this.histogram = histogram;
    }

    @Override
    public void record(double value, Attributes attributes) {
      histogram.record(value, attributes);
    }

    @Override
    public void increment(double by, Attributes attributes) {
      histogram.record(by, attributes);
    }
  }

  private static final class Gauge extends Inst {
    private final DoubleGauge gauge;
    /** Running totals behind a gauge that is incremented (the seed increments daily_active_users). */
    private final Map<Attributes, DoubleAdder> totals = new ConcurrentHashMap<>();

    Gauge(String name, DoubleGauge gauge) {
      super(name, InstrumentKind.GAUGE);
      this.gauge = gauge;
    }

    @Override
    public void record(double value, Attributes attributes) {
      gauge.set(value, attributes);
    }

    @Override
    public void increment(double by, Attributes attributes) {
      DoubleAdder total = totals.computeIfAbsent(attributes, a -> new DoubleAdder());
      total.add(by);
      gauge.set(total.sum(), attributes);
    }
  }
}
