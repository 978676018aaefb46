package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * CPU, memory and disk use of the host the collector runs on (OSHI), for the dashboard's system section when
 * no app reports its own. Sampled when asked, at most every {@link #MIN_INTERVAL_SECONDS} seconds: CPU is the
 * load since the previous sample (the first since construction), so no request waits for a measurement.
 * Keeps the last hour of samples in memory, so the page can chart what it sampled while it was open.
 * Thread-safe.
 */
public final class HostMetrics {
  private static final Logger logger = LoggerFactory.getLogger(HostMetrics.class);
  static final int MIN_INTERVAL_SECONDS = 5;
  private static final int KEEP_SECONDS = 3600;

  /** One sample: epoch seconds and percentages (0..100). */
  public record Sample(long time, double cpu, double memory, double disk) {}

  private final Clock clock;
  private final File disk;
  private final String hostName;
  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private long[] previousTicks;

  /** @param disk a path on the filesystem whose use is reported (the collector's data directory) */
  public HostMetrics(Path disk, Clock clock) {
    this.disk = existing(requireNonNull(disk, "disk").toAbsolutePath()).toFile();
    this.clock = requireNonNull(clock, "clock");
    SystemInfo info = new SystemInfo();
    this.processor = info.getHardware().getProcessor();
    this.memory = info.getHardware().getMemory();
    this.hostName = info.getOperatingSystem().getNetworkParams().getHostName();
    this.previousTicks = processor.getSystemCpuLoadTicks();
  }

  public String hostName() {
    return hostName;
  }

  public String diskPath() {
    return disk.getPath();
  }

  /** A fresh sample (or the latest, when it is younger than the minimum interval), and the hour before it. */
  public synchronized List<Sample> samples() {
    long now = clock.instant().getEpochSecond();
    Sample last = samples.peekLast();
    if (last == null || now - last.time() >= MIN_INTERVAL_SECONDS) {
      try {
        samples.addLast(measure(now));
      } catch (RuntimeException e) {
        // OSHI reads /proc and friends; a host that refuses is shown as no data, not as a failed page.
        logger.warn("host metrics: {}", e.toString());
      }
    }
    while (!samples.isEmpty() && samples.peekFirst().time() < now - KEEP_SECONDS) {
      samples.removeFirst();
    }
    return new ArrayList<>(samples);
  }

  /** The JSON the page reads: host, disk path, the latest values and the samples as columns. */
  public Map<String, Object> toJson() {
    List<Sample> s = samples();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", hostName);
    out.put("disk_path", disk.getPath());
    Sample latest = s.isEmpty() ? null : s.get(s.size() - 1);
    out.put("cpu_usage", latest == null ? null : latest.cpu());
    out.put("memory_usage", latest == null ? null : latest.memory());
    out.put("disk_usage", latest == null ? null : latest.disk());
    out.put("timestamps", s.stream().map(Sample::time).toList());
    out.put("cpu", s.stream().map(Sample::cpu).toList());
    out.put("memory", s.stream().map(Sample::memory).toList());
    out.put("disk", s.stream().map(Sample::disk).toList());
    return out;
  }

  private Sample measure(long now) {
    long[] ticks = processor.getSystemCpuLoadTicks();
    double cpu = processor.getSystemCpuLoadBetweenTicks(previousTicks);
    previousTicks = ticks;
    double total = memory.getTotal();
    double used = total > 0 ? (total - memory.getAvailable()) / total : 0;
    double diskTotal = disk.getTotalSpace();
    double diskUsed = diskTotal > 0 ? (diskTotal - disk.getUsableSpace()) / diskTotal : 0;
    return new Sample(now, percent(cpu), percent(used), percent(diskUsed));
  }

  /** The directory itself, or its nearest existing parent (same filesystem, before the store creates it). */
  private static Path existing(Path p) {
    Path q = p;
    while (q.getParent() != null && !q.toFile().exists()) {
      q = q.getParent();
    }
    return q;
  }

  private static double percent(double ratio) {
    return Double.isNaN(ratio) ? 0 : Math.max(0, Math.min(100, ratio * 100));
  }
}
