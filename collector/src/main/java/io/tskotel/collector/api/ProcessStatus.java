package io.tskotel.collector.api;

import io.tskotel.exporter.ClickHouseStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The process's entry in {@code /status}: CPU split three ways, resident memory now and at its peak, and the
 * heap. The split is what a capacity plan needs: the Java threads (engine work done inside a call from a Java
 * thread counts as that thread's, and is also given on its own), the JVM's own threads (garbage collection,
 * JIT compilers), and the rest of the process, which is the embedded engine's native threads (merges, its
 * pools). The collector's own CPU is the Java threads' without the engine calls, plus the JVM's own threads.
 */
final class ProcessStatus implements StatusSource {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");
  private static final Path PROC_TASKS = Path.of("/proc/self/task");
  // Linux names the JVM's own threads so (comm is cut at 15 characters); Java threads carry their Java names.
  // The Serial collector collects on the VM Thread, which otherwise only runs safepoint operations: counted as GC.
  private static final Pattern JVM_GC = Pattern.compile("^(GC Thread|G1 |VM Thread)");
  private static final Pattern JVM_JIT = Pattern.compile("^C[12] CompilerThre");
  private static final Pattern JVM_OTHER = Pattern.compile("^(VM Periodic|Monitor Deflati|Sweeper)");
  // USER_HZ: the unit of utime/stime in /proc, 100 on every Linux architecture tskotel runs on.
  private static final double TICKS_PER_SECOND = 100;

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
      double[] internal = jvmInternalCpuSeconds();
      double jvmInternal = internal[0] + internal[1] + internal[2];
      double engineCalls = Math.min(jvm, ClickHouseStore.engineCallsCpuNanos()) / 1e9;
      m.put("cpu_seconds", process / 1e9);
      m.put("jvm_threads_cpu_seconds", jvm / 1e9);
      m.put("engine_calls_cpu_seconds", engineCalls);
      m.put("jvm_internal_cpu_seconds", jvmInternal);
      m.put("jvm_gc_cpu_seconds", internal[0]);
      m.put("jvm_jit_cpu_seconds", internal[1]);
      m.put("native_threads_cpu_seconds", Math.max(0, process / 1e9 - jvm / 1e9 - jvmInternal));
      m.put("collector_cpu_seconds", jvm / 1e9 - engineCalls + jvmInternal);
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

  /**
   * CPU of the JVM's own threads from /proc, {@code [GC, JIT, the rest]} in seconds; zeros where there is no
   * /proc.
   */
  private static double[] jvmInternalCpuSeconds() {
    long[] ticks = new long[3];
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC_TASKS)) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          int group = JVM_GC.matcher(name).find() ? 0
              : JVM_JIT.matcher(name).find() ? 1
              : JVM_OTHER.matcher(name).find() ? 2
              : -1;
          if (group >= 0) {
            String stat = Files.readString(task.resolve("stat"));
            // Fields after the parenthesised name: state is the 3rd field, utime the 14th, stime the 15th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[group] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended while we read it
        }
      }
    } catch (IOException e) {
      return new double[3];
    }
    return new double[] {
      ticks[0] / TICKS_PER_SECOND, ticks[1] / TICKS_PER_SECOND, ticks[2] / TICKS_PER_SECOND
    };
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
