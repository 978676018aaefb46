package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.memory.MemoryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JVM options a collector process starts with, from its configuration: the heap sized on purpose
 * ({@code -Xmx} = {@code [collector] memory_limit} x {@code memory_heap_percent}), not a quarter of the machine,
 * the C heap trimmed periodically, and the JDK's cached direct buffers bounded ({@link #of(CollectorSettings, List)}).
 * The {@code tskotel} script runs {@link #main} before {@code tskotel run} (with the same arguments) and passes
 * what it prints to the JVM it starts; the benchmark does the same for the collector process it forks.
 * Options of the user's own ({@code TSKOTEL_JAVA_OPTS}) come after these and win.
 */
public final class JvmOptions {
  // The garbage collector for a budgeted heap, chosen rather than left to the JVM (which takes Serial on a
  // machine it does not deem a server). G1, measured against Parallel twice on 2 cores (docs/performance.md,
  // "The JVM: garbage collector, JIT, allocation"): while the batcher still parsed every request into protobuf
  // objects, Parallel spent 0.59x G1's GC CPU; since the wire encoders allocate ~nothing per item, GC is
  // 0.5-1 CPU-s of a 20 s burst under either, and Parallel's remaining edge is within the run-to-run noise while
  // it costs 1.13-1.18x the peak RSS (1,519 vs 1,285 MiB under the bench's three signals: over the 1.5 GB
  // budget) and pauses ~4x longer (median).
  static final List<String> GC = List.of("-XX:+UseG1GC");
  private static final Pattern GC_CHOICE = Pattern.compile("-XX:\\+Use\\w+GC");

  private JvmOptions() {}

  private static final String NATIVE_TRIM_OPTION = "-XX:TrimNativeHeapInterval=";
  /**
   * The environment variable the {@code tskotel} script (and the benchmark's collector process) sets, unless it
   * is set already: glibc's malloc otherwise gives each of the JVM's threads an arena of its own, up to 8 per
   * core, and each keeps what its thread freed (the embedded engine allocates through its own jemalloc). With 2,
   * the storm's C heap held ~250 MiB less at its peak (docs/performance.md, "Memory"). The JVM cannot set it
   * itself: malloc reads it once, before the JVM starts.
   */
  public static final String MALLOC_ARENAS_VARIABLE = "MALLOC_ARENA_MAX";
  public static final String MALLOC_ARENAS = "2";

  /**
   * The options for a collector with these settings: the heap, the garbage collector and the periodic trim of
   * the C heap (the embedded engine's memory: glibc keeps what it frees in its arenas, the trim gives it back to
   * the system); none when the memory limit is 0 (the JVM's own choices then).
   */
  public static List<String> of(MemoryConfig memory) {
    List<String> options = new ArrayList<>();
    long heap = memory.heapBytes();
    if (heap > 0) {
      options.add("-Xmx" + (heap >> 20) + "m");
      options.addAll(GC);
      if (!memory.nativeTrimInterval().isZero()) {
        options.add(NATIVE_TRIM_OPTION + memory.nativeTrimInterval().toMillis());
      }
    }
    return options;
  }

  /**
   * {@link #of(MemoryConfig)} for a JVM that also gets {@code userOptions} after these: our garbage collector
   * is left out when they name one (the JVM refuses two), our heap size and trim interval when they set them.
   */
  public static List<String> of(MemoryConfig memory, List<String> userOptions) {
    boolean userGc = userOptions.stream().anyMatch(o -> GC_CHOICE.matcher(o).matches());
    boolean userHeap = userOptions.stream().anyMatch(o -> o.startsWith("-Xmx"));
    boolean userTrim = userOptions.stream().anyMatch(o -> o.startsWith(NATIVE_TRIM_OPTION));
    List<String> options = new ArrayList<>();
    for (String option : of(memory)) {
      if (!(userGc && GC.contains(option)) && !(userHeap && option.startsWith("-Xmx"))
          && !(userTrim && option.startsWith(NATIVE_TRIM_OPTION))) {
        options.add(option);
      }
    }
    return options;
  }

  /**
   * {@link #of(MemoryConfig, List)} and, within a memory limit, the bound of the JDK's cache of temporary direct
   * buffers (unless {@code userOptions} set it). The direct memory itself is left to the JVM (as large as the
   * heap): bounded to {@code max_bytes_in_flight} + 64 MiB, Netty's pooled allocator ran out of it under a storm of
   * 15 MB gRPC messages and closed whole connections with INTERNAL_ERROR, an answer OTLP clients do not retry
   * (docs/performance.md, "Memory").
   */
  public static List<String> of(CollectorSettings settings, List<String> userOptions) {
    List<String> options = new ArrayList<>(of(settings.memory(), userOptions));
    boolean userCache = userOptions.stream().anyMatch(o -> o.startsWith(MAX_CACHED_IO_BUFFER_OPTION));
    if (settings.memory().heapBytes() > 0 && !userCache) {
      // The JDK copies a heap buffer written to (or read from) a file into a temporary direct buffer of its size
      // and keeps it, per thread, for the next I/O: the queue appends each request (up to max_message_bytes) from
      // whichever receiver thread took it, so every such thread would keep one of the largest size. Larger ones
      // are freed after use.
      options.add(MAX_CACHED_IO_BUFFER_OPTION + MAX_CACHED_IO_BUFFER);
    }
    return options;
  }

  private static final String MAX_CACHED_IO_BUFFER_OPTION = "-Djdk.nio.maxCachedBufferSize=";
  private static final int MAX_CACHED_IO_BUFFER = 1 << 20;

  /**
   * Prints the options for {@code tskotel run [-c FILE]}, given the same arguments, space-separated on one
   * line. Prints nothing when the configuration cannot be read: {@code run} then reports why itself.
   */
  public static void main(String[] args) {
    try {
      Path config = configFile(args);
      CollectorSettings settings = CollectorSettings.from(CollectorSettings.load(config, System.getenv()));
      String user = System.getenv("TSKOTEL_JAVA_OPTS");
      List<String> userOptions = user == null || user.isBlank() ? List.of() : List.of(user.trim().split("\\s+"));
      System.out.println(String.join(" ", of(settings, userOptions)));
    } catch (Exception e) {
      // The run itself reports a bad or missing configuration, with its position.
    }
  }

  private static @Nullable Path configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("-c") || a.equals("--config")) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (a.startsWith("--config=")) {
        return Path.of(a.substring("--config=".length()));
      }
      if (a.startsWith("-c") && a.length() > 2) {
        return Path.of(a.substring(2));
      }
    }
    return null;
  }

  /** For tests: the options for a document. */
  static List<String> forConfig(@Nullable Path config, Map<String, String> environment) throws Exception {
    return of(CollectorSettings.from(CollectorSettings.load(config, environment)), List.of());
  }
}
