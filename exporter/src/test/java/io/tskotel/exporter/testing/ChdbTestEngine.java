package io.tskotel.exporter.testing;

import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.internal.chdb.ChdbRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The one chDB engine of a test JVM. chDB runs on one data path per process, so every test in a JVM shares
 * this engine (on a temporary directory) and isolates itself by database: {@link #newDatabase} gives each
 * test class its own. Code under test that builds its own {@link ChdbEngine} must use {@link #dataPath()}.
 *
 * <p>The engine is closed only when the JVM exits: chDB is meant to start once per process.
 */
public final class ChdbTestEngine {
  private static final AtomicInteger databases = new AtomicInteger();
  private static @Nullable ChdbEngine engine;

  /** Off in the product; on here, so that every test runs beside the allocator's checks and purges. */
  private static final long PURGE_THRESHOLD = 128L << 20;

  /**
   * The product's caches and per-statement limit, but room for the whole test JVM: its one engine holds the
   * hundreds of databases every test creates, and the engine's total tracker counts them all, so the 512 MiB
   * meant for one collector's tables refused a test's insert once the JVM had run a few hundred tests.
   */
  public static final EngineMemory MEMORY = new EngineMemory(4L << 30, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
      EngineMemory.DEFAULT_INDEX_CACHE_SIZE, EngineMemory.DEFAULT_UNCOMPRESSED_CACHE_SIZE,
      EngineMemory.DEFAULT_QUERY_MEMORY_LIMIT, PURGE_THRESHOLD);

  private ChdbTestEngine() {}

  /** The shared engine, started on first use. */
  public static synchronized ChdbEngine shared() {
    if (engine == null) {
      try {
        Path running = ChdbRuntime.dataPath();
        Path path = running != null ? running : Files.createTempDirectory("tskotel-chdb-test-");
        engine = ChdbEngine.builder().dataPath(path).poolSize(4).memory(MEMORY).build();
        // Closed only as the JVM exits, so chDB stops before its static destructors run (see ChdbRuntime).
        ChdbEngine started = engine;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "chdb-test-engine-shutdown"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (StoreException e) {
        throw new IllegalStateException("cannot start the test chDB engine: " + e.getMessage(), e);
      }
    }
    return engine;
  }

  /** The shared engine's data directory. */
  public static Path dataPath() {
    return shared().dataPath();
  }

  /**
   * Creates a database no other test uses, named after {@code owner} (e.g. the test class) plus a counter
   * and a random suffix, and returns its name.
   */
  public static String newDatabase(Class<?> owner) {
    String base = owner.getSimpleName().replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(Locale.ROOT);
    String name =
        "t_"
            + base
            + "_"
            + databases.incrementAndGet()
            + "_"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xFFFFFF);
    try {
      shared().execute("CREATE DATABASE {db:Identifier}", Map.of("db", name));
    } catch (StoreException e) {
      throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
    }
    return name;
  }

  /** Drops a database made by {@link #newDatabase}. */
  public static void dropDatabase(String name) {
    try {
      shared().execute("DROP DATABASE IF EXISTS {db:Identifier}", Map.of("db", name));
    } catch (StoreException e) {
      throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
    }
  }
}
