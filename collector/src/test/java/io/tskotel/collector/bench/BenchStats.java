package io.tskotel.collector.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What the engine benchmarks share: medians, epoch nanoseconds, the engine's merge threads' CPU. */
final class BenchStats {
  private BenchStats() {}

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** CPU of the engine's merge threads ({@code MergeMutate}, from /proc), 0 where /proc is missing. */
  static long mergeThreadsCpuNanos() {
    return mergeThreadTicks().values().stream().mapToLong(Long::longValue).sum() * 10_000_000L; // USER_HZ 100
  }

  /**
   * utime + stime (ticks of USER_HZ 100) of every {@code MergeMutate} thread, by thread id: a thread that ended
   * drops out, so callers that sum over time keep the last ticks seen per thread.
   */
  static Map<Long, Long> mergeThreadTicks() {
    return threadTicks(name -> name.startsWith("MergeMutate"));
  }

  /**
   * CPU of the JVM's own threads that are not Java threads (GC, JIT, VM), from /proc by their names: the
   * engine's CPU is then the process's minus this minus the Java threads' ({@code ThreadMXBean}).
   */
  static long jvmInternalThreadsCpuNanos() {
    return threadTicks(BenchStats::isJvmThread).values().stream().mapToLong(Long::longValue).sum() * 10_000_000L;
  }

  /** utime + stime (ticks) of this process's threads whose names match, by thread id; empty without /proc. */
  private static Map<Long, Long> threadTicks(Predicate<String> name) {
    Map<Long, Long> out = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        int close = stat.lastIndexOf(')');
        if (!name.test(stat.substring(stat.indexOf('(') + 1, close))) {
          continue;
        }
        String[] f = stat.substring(close + 2).split(" ");
        out.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  private static boolean isJvmThread(String name) {
    return name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM ")
        || name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") || name.startsWith("Service Thread")
        || name.startsWith("Monitor Deflat") || name.startsWith("Sweeper");
  }
}
