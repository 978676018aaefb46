package io.tskotel.collector.api;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The process's entry in {@code /status}: CPU split between the JVM's threads and the rest of the process
 * (the embedded engine's own native threads), resident memory now and at its peak, and the heap. The split
 * is what a capacity plan needs: work the engine does inside a call from a Java thread counts as that
 * thread's; the engine's background threads (merges, its thread pools) are the remainder.
 */
final class ProcessStatus implements StatusSource {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  // Java threads that have ended take their CPU time with them; keep what they used while they were seen.
  private final Map<Long, Long> lastThreadCpu = new LinkedHashMap<>();
  private long endedThreadsCpuNanos;

  @Override
  public synchronized Object snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    long process = processCpuNanos();
    if (process >= 0) {
      long jvm = jvmThreadsCpuNanos();
      m.put("cpu_seconds", process / 1e9);
      m.put("jvm_threads_cpu_seconds", jvm / 1e9);
      m.put("native_threads_cpu_seconds", Math.max(0, process - jvm) / 1e9);
    }
    long[] rss = residentBytes();
    if (rss != null) {
      m.put("rss_bytes", rss[0]);
      m.put("peak_rss_bytes", rss[1]);
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    m.put("heap_used_bytes", heap.getUsed());
    m.put("heap_max_bytes", heap.getMax());
    m.put("available_processors", Runtime.getRuntime().availableProcessors());
    return m;
  }

  private long jvmThreadsCpuNanos() {
    if (!threads.isThreadCpuTimeSupported()) {
      return 0;
    }
    Map<Long, Long> now = new LinkedHashMap<>();
    long live = 0;
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        now.put(id, t);
        live += t;
      }
    }
    for (Map.Entry<Long, Long> e : lastThreadCpu.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        endedThreadsCpuNanos += e.getValue();
      }
    }
    lastThreadCpu.clear();
    lastThreadCpu.putAll(now);
    return live + endedThreadsCpuNanos;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** {@code [VmRSS, VmHWM]} in bytes from /proc, or null where there is no /proc. */
  private static long @Nullable [] residentBytes() {
    try {
      long rss = -1;
      long peak = -1;
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line);
        }
      }
      return rss < 0 || peak < 0 ? null : new long[] {rss, peak};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long kib(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }
}
