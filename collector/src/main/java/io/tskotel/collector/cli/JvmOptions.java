package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.memory.MemoryConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JVM options a collector process starts with, from its configuration: the heap sized on purpose
 * ({@code -Xmx} = {@code [collector] memory_limit} x {@code memory_heap_percent}), not a quarter of the machine,
 * and the JDK's cached direct buffers bounded ({@link #of(CollectorSettings)}).
 * The {@code tskotel} script runs {@link #main} before {@code tskotel run} (with the same arguments) and passes
 * what it prints to the JVM it starts; the benchmark does the same for the collector process it forks.
 */
public final class JvmOptions {
  private JvmOptions() {}

  /** The options for a collector with these settings; none when the memory limit is 0. */
  public static List<String> of(MemoryConfig memory) {
    List<String> options = new ArrayList<>();
    long heap = memory.heapBytes();
    if (heap > 0) {
      options.add("-Xmx" + (heap >> 20) + "m");
    }
    return options;
  }

  /**
   * {@link #of(MemoryConfig)} and, within a memory limit, the bound of the JDK's cache of temporary direct
   * buffers. The direct memory itself is left to the JVM (as large as the heap): bounded to
   * {@code max_bytes_in_flight} + 64 MiB, Netty's pooled allocator ran out of it under a storm of 15 MB gRPC
   * messages and closed whole connections with INTERNAL_ERROR, an answer OTLP clients do not retry
   * (docs/performance.md, "Memory").
   */
  public static List<String> of(CollectorSettings settings) {
    List<String> options = new ArrayList<>(of(settings.memory()));
    if (settings.memory().heapBytes() > 0) {
      // The JDK copies a heap buffer written to (or read from) a file into a temporary direct buffer of its size
      // and keeps it, per thread, for the next I/O: the queue appends each request (up to max_message_bytes) from
      // whichever receiver thread took it, so every such thread would keep one of the largest size. Larger ones
      // are freed after use.
      options.add("-Djdk.nio.maxCachedBufferSize=" + MAX_CACHED_IO_BUFFER);
    }
    return options;
  }

  private static final int MAX_CACHED_IO_BUFFER = 1 << 20;

  /**
   * Prints the options for {@code tskotel run [-c FILE]}, given the same arguments, space-separated on one
   * line. Prints nothing when the configuration cannot be read: {@code run} then reports why itself.
   */
  public static void main(String[] args) {
    try {
      Path config = configFile(args);
      CollectorSettings settings = CollectorSettings.from(CollectorSettings.load(config, System.getenv()));
      System.out.println(String.join(" ", of(settings)));
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
    return of(CollectorSettings.from(CollectorSettings.load(config, environment)));
  }
}
