package io.tskotel.collector.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** Where the memory guard reads memory use; the system's, or a test's. */
public interface MemoryReadings {

  /** Heap bytes in use, as the guard should judge them (see {@link #system()}). */
  long heapUsed();

  /** The heap's maximum ({@code -Xmx}). */
  long heapMax();

  /** The process's resident bytes, or -1 where they cannot be read. */
  long residentBytes();

  /**
   * Garbage collections seen so far when {@link #heapUsed} is what the latest one left (so that a reading
   * that has not moved since can be told apart), 0 before the first, -1 where unknown.
   */
  default long collections() {
    return -1;
  }

  /**
   * The JVM's readings. The heap in use is what the latest garbage collection left, not the heap's current
   * use: between collections the heap holds garbage as a matter of course (G1 lets the young generation grow
   * to most of the heap before collecting it), and a guard judging that would refuse data under normal load.
   * What a collection leaves is what the collector really holds; until the first one, the current use counts.
   * Resident memory comes from {@code /proc/self/statm}.
   */
  static MemoryReadings system() {
    return SystemReadings.INSTANCE;
  }

  final class SystemReadings implements MemoryReadings {
    static final SystemReadings INSTANCE = new SystemReadings();
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_SIZE = 4096;

    private final AtomicLong afterGc = new AtomicLong(-1);
    private final AtomicLong collections = new AtomicLong();
    private final Set<String> heapPools = new HashSet<>();

    private SystemReadings() {
      // The map of a collection's pools holds non-heap ones (metaspace, code cache) too.
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          heapPools.add(pool.getName());
        }
      }
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener((notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
              var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
              long used = 0;
              for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                  used += pool.getValue().getUsed();
                }
              }
              afterGc.set(used);
              collections.incrementAndGet();
            }
          }, null, null);
        }
      }
    }

    @Override
    public long heapUsed() {
      long after = afterGc.get();
      return after >= 0 ? after : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public long heapMax() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    @Override
    public long collections() {
      return collections.get();
    }

    @Override
    public long residentBytes() {
      try {
        String[] fields = Files.readString(STATM).trim().split("\\s+");
        return Long.parseLong(fields[1]) * PAGE_SIZE;
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
  }
}
