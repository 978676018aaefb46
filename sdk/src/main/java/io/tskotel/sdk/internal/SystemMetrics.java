package io.tskotel.sdk.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.tskotel.tsk.InstrumentKind;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

/**
 * The seed's {@code collect_metrics}: CPU, memory and disk use (OSHI), recorded as gauges under the seed's names
 * ({@code cpu_usage} percent, ...) and the OpenTelemetry semantic-convention names ({@code
 * system.cpu.utilization} as a 0..1 ratio, ...). CPU use is measured between two calls (the first call measures
 * over 200 ms). Thread-safe.
 */
public final class SystemMetrics {
  private static final AttributeKey<String> FS_STATE = AttributeKey.stringKey("system.filesystem.state");
  private static final AttributeKey<String> FS_MOUNT = AttributeKey.stringKey("system.filesystem.mountpoint");

  private final Instruments instruments;
  private final File disk;
  private final Attributes diskAttributes;
  private CentralProcessor processor;
  private GlobalMemory memory;
  private long[] previousTicks;

  public SystemMetrics(Instruments instruments, Path disk) {
    this.instruments = instruments;
    this.disk = disk.toFile();
    this.diskAttributes = Attributes.of(FS_MOUNT, disk.toString());
  }

  public synchronized Map<String, Double> collect() {
    if (processor == null) {
      SystemInfo info = new SystemInfo();
      processor = info.getHardware().getProcessor();
      memory = info.getHardware().getMemory();
    }
    double cpu;
    if (previousTicks == null) {
      cpu = processor.getSystemCpuLoad(200);
      previousTicks = processor.getSystemCpuLoadTicks();
    } else {
      cpu = processor.getSystemCpuLoadBetweenTicks(previousTicks);
      previousTicks = processor.getSystemCpuLoadTicks();
    }
    cpu = Math.max(0, Math.min(1, cpu));
    double memTotal = memory.getTotal();
    double memAvailable = memory.getAvailable();
    double memUsed = memTotal > 0 ? (memTotal - memAvailable) / memTotal : 0;
    double diskTotal = disk.getTotalSpace();
    double diskFree = disk.getUsableSpace();
    double diskUsed = diskTotal > 0 ? (diskTotal - diskFree) / diskTotal : 0;

    Map<String, Double> seed = new LinkedHashMap<>();
    seed.put("cpu_usage", cpu * 100);
    seed.put("memory_usage", memUsed * 100);
    seed.put("disk_usage", diskUsed * 100);
    seed.put("memory_available", memAvailable);
    seed.put("disk_free", diskFree);
    seed.forEach((name, value) -> instruments.get(name, InstrumentKind.GAUGE).record(value, Attributes.empty()));
    instruments.get("system.cpu.utilization", InstrumentKind.GAUGE).record(cpu, Attributes.empty());
    instruments.get("system.memory.utilization", InstrumentKind.GAUGE).record(memUsed, Attributes.empty());
    instruments.get("system.linux.memory.available", InstrumentKind.GAUGE).record(memAvailable, Attributes.empty());
    instruments.get("system.filesystem.utilization", InstrumentKind.GAUGE).record(diskUsed, diskAttributes);
    instruments.get("system.filesystem.usage", InstrumentKind.GAUGE)
        .record(diskFree, diskAttributes.toBuilder().put(FS_STATE, "free").build());
    instruments.get("system.filesystem.usage", InstrumentKind.GAUGE)
        .record(diskTotal - diskFree, diskAttributes.toBuilder().put(FS_STATE, "used").build());
    return seed;
  }
}
