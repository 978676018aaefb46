package io.tskotel.collector.bench;

import java.util.List;
import java.util.Locale;

/** A benchmark run's figures, ratios first, as Markdown. */
public record BenchReport(String machine, List<SignalRow> signals, List<QueryPhase.Timing> queries, long peakRssBytes) {

  /**
   * One signal end to end next to the store's own write path.
   *
   * @param phase {@link #BURST} (one burst into a fresh collector), or with a warm-up {@link #COLD} (the
   *     warm-up burst into a fresh collector) and {@link #WARM} (the measured burst after it)
   * @param storeItemsPerSecond (a) the same rows written straight into the store
   * @param committedItemsPerSecond (b) OTLP into the collector until committed to the store
   * @param jvmCpuSeconds the collector's Java threads (engine work inside calls from them included)
   * @param engineCallsCpuSeconds the part of {@code jvmCpuSeconds} spent inside calls into the engine
   * @param jvmInternalCpuSeconds the JVM's own threads: garbage collection, JIT compilers and the rest
   * @param gcCpuSeconds the garbage collector's part of {@code jvmInternalCpuSeconds}
   * @param jitCpuSeconds the JIT compilers' part of {@code jvmInternalCpuSeconds}
   * @param nativeCpuSeconds the rest of the collector process: the engine's own threads
   */
  public record SignalRow(
      String signal,
      String phase,
      double storeItemsPerSecond,
      double committedItemsPerSecond,
      double ackedItemsPerSecond,
      long committedItems,
      double jvmCpuSeconds,
      double engineCallsCpuSeconds,
      double jvmInternalCpuSeconds,
      double gcCpuSeconds,
      double jitCpuSeconds,
      double nativeCpuSeconds,
      double p99Millis) {

    /** The only burst, into a fresh collector: JIT warm-up included. */
    public static final String BURST = "burst";
    /** The warm-up burst, into a fresh collector: JIT warm-up included. */
    public static final String COLD = "cold: first burst (JIT warm-up)";
    /** The measured burst after the warm-up: the steady state. */
    public static final String WARM = "warm: after the warm-up (steady state)";

    public double ratio() {
      return storeItemsPerSecond > 0 ? committedItemsPerSecond / storeItemsPerSecond : 0;
    }

    /** Committed items per CPU-second of the JVM: its Java threads plus GC and JIT, the engine's threads excluded. */
    public double itemsPerJvmCpuSecond() {
      double jvm = jvmCpuSeconds + jvmInternalCpuSeconds;
      return jvm > 0 ? committedItems / jvm : 0;
    }

    /**
     * Committed items per CPU-second of the collector's own work: its Java threads without the engine's work
     * inside calls from them, plus GC and JIT.
     */
    public double itemsPerCollectorCpuSecond() {
      double own = collectorCpuSeconds();
      return own > 0 ? committedItems / own : 0;
    }

    /** Java threads without the engine calls, plus the JVM's own threads. */
    public double collectorCpuSeconds() {
      return jvmCpuSeconds - engineCallsCpuSeconds + jvmInternalCpuSeconds;
    }
  }

  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(machine).append("\n\n");
    if (signals.isEmpty()) {
      appendQueries(sb);
      return sb.toString();
    }
    sb.append("| signal | run | end to end ÷ store write path (b/a) | (b) committed/s | (a) store write path/s"
        + " | acked/s | items per JVM CPU-second | items per collector-own CPU-second | Java threads CPU-s"
        + " | of which engine calls CPU-s | GC CPU-s | JIT CPU-s | engine native CPU-s | p99 ack ms |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SignalRow r : signals) {
      sb.append(String.format(Locale.ROOT,
          "| %s | %s | %.2f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f |%n",
          r.signal(), r.phase(), r.ratio(), r.committedItemsPerSecond(), r.storeItemsPerSecond(),
          r.ackedItemsPerSecond(), r.itemsPerJvmCpuSecond(), r.itemsPerCollectorCpuSecond(), r.jvmCpuSeconds(),
          r.engineCallsCpuSeconds(), r.gcCpuSeconds(), r.jitCpuSeconds(), r.nativeCpuSeconds(), r.p99Millis()));
    }
    appendQueries(sb);
    if (peakRssBytes > 0) {
      sb.append(String.format(Locale.ROOT, "%nCollector peak RSS: %,.0f MiB%n", peakRssBytes / 1048576.0));
    }
    return sb.toString();
  }

  private void appendQueries(StringBuilder sb) {
    if (!queries.isEmpty()) {
      sb.append("\n| query | ÷ baseline | p50 ms | baseline | baseline p50 ms |\n|---|---|---|---|---|\n");
      for (QueryPhase.Timing t : queries) {
        sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s | %.1f |%n", t.query(), t.ratio(),
            t.p50Millis(), t.baseline(), t.baselineP50Millis()));
      }
    }
  }
}
