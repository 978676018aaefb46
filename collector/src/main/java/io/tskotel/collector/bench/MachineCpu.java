package io.tskotel.collector.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of the whole machine and of this process, to account for a burst's CPU beyond the collector's. */
final class MachineCpu {
  /** USER_HZ: the unit of {@code /proc/stat}, 100 on Linux (as {@code ProcessStatus} assumes for the collector). */
  private static final double TICKS_PER_SECOND = 100;

  private MachineCpu() {}

  /** Busy CPU-seconds of every core since boot (all but idle and I/O wait); NaN where there is no /proc/stat. */
  static double busySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal ...: guest time is already in user and nice.
      for (int i = 1; i <= 8 && i < f.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU-seconds of this process: the load generator's, in the bench. */
  static double thisProcessSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }
}
