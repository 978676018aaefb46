package io.tskotel.collector.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One benchmark run: which signals, how long each phase, how large the query tables.
 *
 * @param workDir where the collector under test keeps its queue and store (emptied first)
 * @param storeDataPath the embedded engine's data path for the store-write and query phases, in this process
 * @param load how each signal is sent end to end (its signal, endpoint and status URL are set per run)
 * @param storeSeconds how long the store-write phase writes each signal
 * @param queryRows rows in the synthetic gauge and span tables the queries run over; 0 skips the queries
 * @param queryRuns timed runs of each query (after two warm-up runs); the median is reported
 * @param writerThreads threads writing in the store-write phase
 * @param collectorBatchWriters {@code batch_writers} of the collector under test; 0 keeps its default
 * @param collectorSettings {@code key: value} lines added to the {@code [collector]} section of the collector
 *     under test (e.g. {@code memory_limit: "2GiB"})
 * @param collectorStorageSettings {@code key: value} lines added to the {@code [storage]} section of the collector
 *     under test (e.g. {@code batch_max_items: 20000}, to compare a setting's values with one build)
 * @param collectorJvmOptions JVM options for the collector under test, after the ones {@code tskotel run} gets
 *     (an option given twice: the later wins; a garbage collector named here replaces the default one)
 * @param warmup per signal, a first burst of this long (sent, then drained) before the measured one, so that
 *     the report shows the collector warm (most of the JIT done) next to the cold first burst; zero for one cold
 *     burst
 */
public record BenchConfig(
    List<LoadConfig.Signal> signals,
    Path workDir,
    Path storeDataPath,
    LoadConfig load,
    Duration storeSeconds,
    long queryRows,
    int queryRuns,
    int writerThreads,
    int collectorBatchWriters,
    List<String> collectorSettings,
    List<String> collectorStorageSettings,
    List<String> collectorJvmOptions,
    Duration warmup) {

  public BenchConfig {
    signals = List.copyOf(requireNonNull(signals, "signals"));
    requireNonNull(workDir, "workDir");
    requireNonNull(storeDataPath, "storeDataPath");
    requireNonNull(load, "load");
    requireNonNull(storeSeconds, "storeSeconds");
    collectorSettings = List.copyOf(requireNonNull(collectorSettings, "collectorSettings"));
    collectorStorageSettings = List.copyOf(requireNonNull(collectorStorageSettings, "collectorStorageSettings"));
    collectorJvmOptions = List.copyOf(requireNonNull(collectorJvmOptions, "collectorJvmOptions"));
    requireNonNull(warmup, "warmup");
  }

  /** Every invalid value; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>(load.validate());
    if (signals.isEmpty()) {
      errors.add("signals: [] (expected: at least one of traces, metrics, logs)");
    }
    if (storeSeconds.isNegative() || storeSeconds.isZero()) {
      errors.add("storeSeconds: " + storeSeconds + " (expected: > 0)");
    }
    if (queryRows < 0) {
      errors.add("queryRows: " + queryRows + " (expected: >= 0, 0 to skip the queries)");
    }
    if (queryRuns < 1) {
      errors.add("queryRuns: " + queryRuns + " (expected: > 0)");
    }
    if (collectorBatchWriters < 0) {
      errors.add("collectorBatchWriters: " + collectorBatchWriters + " (expected: >= 0, 0 for the default)");
    }
    settingLines("collectorSettings", collectorSettings, errors);
    settingLines("collectorStorageSettings", collectorStorageSettings, errors);
    for (String option : collectorJvmOptions) {
      if (!option.startsWith("-")) {
        errors.add("collectorJvmOptions: " + option + " (expected: a JVM option, starting with -)");
      }
    }
    if (warmup.isNegative()) {
      errors.add("warmup: " + warmup + " (expected: >= 0, 0 for no warm-up)");
    }
    if (writerThreads < 1) {
      errors.add("writerThreads: " + writerThreads + " (expected: > 0)");
    }
    return errors;
  }

  private static void settingLines(String field, List<String> lines, List<String> errors) {
    for (String line : lines) {
      if (!line.matches("[a-z_]+: *[^\\n]+")) {
        errors.add(field + ": " + line + " (expected: key: value, one line)");
      }
    }
  }
}
