package io.tskotel.exporter.internal.chdb;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
      keeper = ChdbConnection.open(lib, List.of("--path=" + real));
      dataPath = real;
      // chDB's static destructors crash the JVM at exit (SIGSEGV in the VM thread) when tables with
      // skip indexes (bloom_filter, tokenbf_v1) hold data and the engine still runs. Releasing the keeper
      // at shutdown lets the last connection to close (the keeper, or an engine's pool) stop chDB first.
      Runtime.getRuntime().addShutdownHook(new Thread(ChdbRuntime::releaseKeeper, "chdb-shutdown"));
      logger.info("chDB engine started on {}", real);
    } else if (!dataPath.equals(real)) {
      throw StoreException.permanent(
          "chDB already runs on data path "
              + dataPath
              + " in this process; it cannot also open "
              + real
              + " (one data path per process)");
    }
    List<String> args = new ArrayList<>(settings.size() + 1);
    args.add("--path=" + real);
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      if (!SETTING_NAME.matcher(setting.getKey()).matches()) {
        throw new IllegalArgumentException("setting name: " + setting.getKey() + " (expected: [a-z][a-z0-9_]*)");
      }
      args.add("--" + setting.getKey() + "=" + setting.getValue());
    }
    return ChdbConnection.open(lib, args);
  }

  private static synchronized void releaseKeeper() {
    if (keeper != null) {
      keeper.close();
      keeper = null;
    }
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
