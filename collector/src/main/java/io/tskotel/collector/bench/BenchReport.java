package io.tskotel.collector.bench;

import java.util.List;
import java.util.Locale;

/**
 * A benchmark run's figures, ratios first, as Markdown.
 *
 * @param peakRssBytes the collector's peak resident memory (VmHWM), 0 when not measured
 * @param enginePeakBytes the embedded engine's highest tracked memory among the collector's {@code /status}
 *     readings, taken every half second through the bursts and drains; 0 when not measured
 * @param engineLimitBytes the engine's limit ({@code engine_memory_limit}), 0 when not known
 */
public record BenchReport(String machine, List<SignalRow> signals, List<QueryPhase.Timing> queries, long peakRssBytes,
    long enginePeakBytes, long engineLimitBytes) {

  /**
   * One signal end to end next to the store's own write path.
   *
   * @param phase {@link #BURST} (one burst into a fresh collector), or with a warm-up {@link #COLD} (the
   *     warm-up burst into a fresh collector) and {@link #WARM} (the measured burst after it)
   * @param storeItemsPerSecond (a) the same rows written straight into the store
   * @param storeCpuMicrosPerItem (a)'s process CPU per item over its window
   * @param committedItemsPerSecond (b) OTLP into the collector until committed to the store
   * @param jvmCpuSeconds the collector's Java threads (engine work inside calls from them included)
   * @param engineCallsCpuSeconds the part of {@code jvmCpuSeconds} spent inside calls into the engine
   * @param jvmInternalCpuSeconds the JVM's own threads: garbage collection, JIT compilers and the rest
   * @param gcCpuSeconds the garbage collector's part of {@code jvmInternalCpuSeconds}
   * @param jitCpuSeconds the JIT compilers' part of {@code jvmInternalCpuSeconds}
   * @param nativeCpuSeconds the rest of the collector process: the engine's own threads
   * @param benchCpuSeconds the bench's own process over the same window: the load generator
   * @param machineBusyCpuSeconds every core's busy time over the window ({@code /proc/stat}); NaN when unknown
   * @param windowSeconds the wall time over which the CPU figures were taken: the load, the drain, and the
   *     polls around them
   * @param pushback what the collector refused (retryably) or had to write again over the same window
   */
  public record SignalRow(
      String signal,
      String phase,
      double storeItemsPerSecond,
      double storeCpuMicrosPerItem,
      double committedItemsPerSecond,
      double ackedItemsPerSecond,
      long committedItems,
      double jvmCpuSeconds,
      double engineCallsCpuSeconds,
      double jvmInternalCpuSeconds,
      double gcCpuSeconds,
      double jitCpuSeconds,
      double nativeCpuSeconds,
      double p99Millis,
      double benchCpuSeconds,
      double machineBusyCpuSeconds,
      double windowSeconds,
      Pushback pushback) {

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

    /** The engine's CPU: its own threads and its work inside calls from Java threads. */
    public double engineCpuSeconds() {
      return nativeCpuSeconds + engineCallsCpuSeconds;
    }

    /** Busy CPU of the machine outside the collector and the bench (the kernel's own threads, other programs). */
    public double otherCpuSeconds() {
      return machineBusyCpuSeconds - jvmCpuSeconds - jvmInternalCpuSeconds - nativeCpuSeconds - benchCpuSeconds;
    }

    /** The share of the machine's cores left idle over the window; NaN when unknown. */
    public double idleShare(int cores) {
      double capacity = windowSeconds * cores;
      // /proc/stat counts in 10 ms ticks: a busy machine can show a little more than its capacity.
      return capacity > 0 ? Math.max(0, 1 - machineBusyCpuSeconds / capacity) : Double.NaN;
    }

    /** {@code cpuSeconds} as CPU-microseconds per committed item. */
    public double microsPerItem(double cpuSeconds) {
      return committedItems > 0 ? cpuSeconds * 1e6 / committedItems : Double.NaN;
    }
  }

  /**
   * Back-pressure over one burst: a refusal is retryable (the load generator sent the request again after the
   * answer's delay), a failed store write is written again from the queue. Each costs time (a refused request
   * waits its retry delay, which then sets the burst's p99) or work (the write is done again).
   *
   * @param clientRetries requests the load generator sent again after a retryable answer
   * @param refusedItems items the receivers refused after reading them (the queue full, its disk failing)
   * @param refusedRequests whole requests refused before reading them (the memory guard, the byte budget)
   * @param storeErrorsRetryable store writes that failed retryably (e.g. the engine's memory limit)
   * @param storeErrorsPermanent store writes that failed permanently: retried until the store is fixed, or when
   *     the data is at fault written request by request, dead-lettering what is still refused
   */
  public record Pushback(long clientRetries, long refusedItems, long refusedRequests, long storeErrorsRetryable,
      long storeErrorsPermanent) {}

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
    appendCpuPerItem(sb);
    appendPushback(sb);
    appendQueries(sb);
    if (peakRssBytes > 0) {
      sb.append(String.format(Locale.ROOT, "%nCollector peak RSS: %,.0f MiB%n", peakRssBytes / 1048576.0));
    }
    if (enginePeakBytes > 0) {
      sb.append(String.format(Locale.ROOT, "Engine's peak tracked memory (sampled every 0.5 s): %,.0f MiB of its %s%n",
          enginePeakBytes / 1048576.0,
          engineLimitBytes > 0 ? String.format(Locale.ROOT, "%,.0f MiB limit", engineLimitBytes / 1048576.0)
              : "own limit"));
    }
    return sb.toString();
  }

  private void appendPushback(StringBuilder sb) {
    sb.append("\nPushback over each burst: a refused request is sent again after its retry delay; a failed store"
        + " write is written again from the queue (when its data is at fault, request by request, dead-lettering what"
        + " is still refused)\n\n");
    sb.append("| signal | run | client retries | items refused (queue full, queue I/O) | requests refused before"
        + " reading (memory guard, byte budget) | store writes failed, retryable | store writes failed, permanent |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    for (SignalRow r : signals) {
      Pushback p = r.pushback();
      sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %,d |%n", r.signal(), r.phase(),
          p.clientRetries(), p.refusedItems(), p.refusedRequests(), p.storeErrorsRetryable(),
          p.storeErrorsPermanent()));
    }
  }

  /**
   * Where each committed item's CPU went, the whole machine accounted for: on a machine the collector shares
   * with its engine and the load generator, every CPU-microsecond per item anywhere is committed throughput,
   * and the cores' capacity over the window (the last column) bounds the sum.
   */
  private void appendCpuPerItem(StringBuilder sb) {
    int cores = Runtime.getRuntime().availableProcessors();
    sb.append("\nCPU per committed item (µs) over each burst and its drain; the last column is what (b) leaves:"
        + " the cores' time per committed item\n\n");
    sb.append("| signal | run | engine (its threads + calls) | collector Java threads (engine calls excluded)"
        + " | GC | JIT | other JVM threads | the bench's process (load generator) | rest of the machine | all | machine idle"
        + " | the cores' capacity per committed item | (a): the store write path's process per item |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SignalRow r : signals) {
      double all = r.machineBusyCpuSeconds();
      sb.append(String.format(Locale.ROOT,
          "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.0f %% | %.1f | %.1f |%n",
          r.signal(), r.phase(), r.microsPerItem(r.engineCpuSeconds()),
          r.microsPerItem(r.jvmCpuSeconds() - r.engineCallsCpuSeconds()), r.microsPerItem(r.gcCpuSeconds()),
          r.microsPerItem(r.jitCpuSeconds()),
          r.microsPerItem(r.jvmInternalCpuSeconds() - r.gcCpuSeconds() - r.jitCpuSeconds()),
          r.microsPerItem(r.benchCpuSeconds()), r.microsPerItem(r.otherCpuSeconds()), r.microsPerItem(all),
          r.idleShare(cores) * 100,
          r.committedItemsPerSecond() > 0 ? cores * 1e6 / r.committedItemsPerSecond() : Double.NaN,
          r.storeCpuMicrosPerItem()));
    }
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
