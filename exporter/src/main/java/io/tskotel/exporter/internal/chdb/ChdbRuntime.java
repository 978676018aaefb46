package io.tskotel.exporter.internal.chdb;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide chDB engine: at most one data path per process, booted by the first connection and
 * pinned by a keeper connection that is never closed. chDB shuts the engine down when its last connection
 * closes, and restarting it in one process is what corrupts the allocator, so pools above this may empty
 * freely. A second, different path would silently fail in chDB; here it is a clear error.
 */
public final class ChdbRuntime {
  private static final Logger logger = LoggerFactory.getLogger(ChdbRuntime.class);
  private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private static @Nullable Path dataPath;
  private static @Nullable ChdbConnection keeper;
  private static @Nullable AllocatorPurges purges;
  private static long bootPurgeThreshold;
  private static Map<String, String> bootServerSettings = Map.of();
  private static Map<String, String> sessionDefaults = Map.of();

  private ChdbRuntime() {}

  /**
   * Opens a connection on {@code path} (a directory, created if missing) with these query-level settings,
   * which apply to this connection only. Boots the engine on first use.
   */
  public static synchronized ChdbConnection connect(Path path, Map<String, String> settings)
      throws StoreException {
    requireNonNull(path, "path");
    requireNonNull(settings, "settings");
    Path real = realDirectory(path);
    ChdbNative lib = ChdbNative.load();
    if (dataPath == null) {
      start(lib, real, Map.of(), Map.of(), 0);
    } else {
      checkSamePath(real);
    }
    // The engine-wide statement settings first; the connection's own override them.
    Map<String, String> merged = new LinkedHashMap<>(sessionDefaults);
    merged.putAll(settings);
    List<String> args = new ArrayList<>(merged.size() + 1);
    args.add("--path=" + real);
    args.addAll(arguments(merged));
    return ChdbConnection.open(lib, args);
  }

  /**
   * Starts the engine on {@code path} with these engine-wide settings (caches, memory limit: fixed for the
   * process's life), these defaults of every connection's statements (e.g. {@code max_memory_usage}) and its
   * allocator purged once it holds {@code purgeThreshold} bytes freed (0: never; see {@link AllocatorPurges}).
   * On an engine already running they cannot change: a difference is logged, the running ones stay.
   */
  public static synchronized void boot(Path path, Map<String, String> serverSettings,
      Map<String, String> sessionSettings, long purgeThreshold) throws StoreException {
    requireNonNull(serverSettings, "serverSettings");
    requireNonNull(sessionSettings, "sessionSettings");
    Path real = realDirectory(requireNonNull(path, "path"));
    if (dataPath == null) {
      start(ChdbNative.load(), real, serverSettings, sessionSettings, purgeThreshold);
    } else {
      checkSamePath(real);
      if (!serverSettings.equals(bootServerSettings) || !sessionSettings.equals(sessionDefaults)
          || purgeThreshold != bootPurgeThreshold) {
        logger.warn("chDB already runs with {} {}, purge threshold {}; the settings {} {}, purge threshold {}"
            + " apply only after a restart", bootServerSettings, sessionDefaults, bootPurgeThreshold,
            serverSettings, sessionSettings, purgeThreshold);
      }
    }
  }

  /** The engine-wide settings the engine started with (empty when it started without any). */
  public static synchronized Map<String, String> serverSettings() {
    return bootServerSettings;
  }

  private static void start(ChdbNative lib, Path real, Map<String, String> serverSettings,
      Map<String, String> sessionSettings, long purgeThreshold) throws StoreException {
    // chDB's argv is clickhouse-local's: statement settings as --name=value, and after "--" overrides of the
    // server configuration (--mark_cache_size=...), which only the first connection's arguments can set.
    List<String> args = new ArrayList<>();
    args.add("--path=" + real);
    args.addAll(arguments(sessionSettings));
    if (!serverSettings.isEmpty()) {
      args.add("--");
      args.addAll(arguments(serverSettings));
    }
    keeper = ChdbConnection.open(lib, args);
    dataPath = real;
    bootServerSettings = Map.copyOf(serverSettings);
    sessionDefaults = Map.copyOf(sessionSettings);
    // chDB's static destructors crash the JVM at exit (SIGSEGV in the VM thread) when tables with
    // skip indexes (bloom_filter, tokenbf_v1) hold data and the engine still runs. Releasing the keeper
    // at shutdown lets the last connection to close (the keeper, or an engine's pool) stop chDB first.
    Runtime.getRuntime().addShutdownHook(new Thread(ChdbRuntime::releaseKeeper, "chdb-shutdown"));
    if (purgeThreshold > 0) {
      bootPurgeThreshold = purgeThreshold;
      try {
        purges = AllocatorPurges.start(ChdbConnection.open(lib, List.of("--path=" + real)), purgeThreshold,
            AllocatorPurges.CHECK_INTERVAL);
      } catch (StoreException e) {
        // Only memory held longer: the engine serves without them.
        logger.warn("chDB allocator purges not started; the allocator returns freed memory on its own: {}",
            e.toString());
      }
    }
    logger.info("chDB engine started on {}{}{}", real, serverSettings.isEmpty() && sessionSettings.isEmpty() ? ""
        : " with " + serverSettings + " " + sessionSettings,
        purgeThreshold == 0 ? "" : ", its allocator purged past " + (purgeThreshold >> 20) + " MiB freed");
  }

  private static void checkSamePath(Path real) throws StoreException {
    if (!real.equals(dataPath)) {
      throw StoreException.permanent(
          "chDB already runs on data path "
              + dataPath
              + " in this process; it cannot also open "
              + real
              + " (one data path per process)");
    }
  }

  private static List<String> arguments(Map<String, String> settings) {
    List<String> args = new ArrayList<>(settings.size());
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      if (!SETTING_NAME.matcher(setting.getKey()).matches()) {
        throw new IllegalArgumentException("setting name: " + setting.getKey() + " (expected: [a-z][a-z0-9_]*)");
      }
      args.add("--" + setting.getKey() + "=" + setting.getValue());
    }
    return args;
  }

  private static synchronized void releaseKeeper() {
    if (purges != null) {
      purges.stop();
      purges = null;
    }
    if (keeper != null) {
      keeper.close();
      keeper = null;
    }
  }

  /** The allocator purges done since the engine started (0 when they are off). */
  public static synchronized long allocatorPurges() {
    return purges == null ? 0 : purges.purges();
  }

  /** The allocator at the purger's last check (every 250 ms), or null when purges are off or before it. */
  public static synchronized @Nullable AllocatorStats allocatorStats() {
    return purges == null ? null : purges.last();
  }

  /** The data path the engine runs on, or null before the first connection. */
  public static synchronized @Nullable Path dataPath() {
    return dataPath;
  }

  /** The loaded library's version, loading it if needed. */
  public static String libraryVersion() throws StoreException {
    return ChdbNative.load().version();
  }

  private static Path realDirectory(Path path) throws StoreException {
    try {
      Files.createDirectories(path);
      return path.toRealPath();
    } catch (IOException e) {
      throw StoreException.permanent("chDB data path " + path + " is not a usable directory: " + e, e);
    }
  }
}
