package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.TskParseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Loads {@link CollectorSettings} for a command, printing what is wrong instead of a stack trace. */
final class Settings {
  private Settings() {}

  /** The configuration and the settings read from it. */
  record Loaded(Tsk tsk, CollectorSettings settings) {}

  /** The settings, or null after printing every problem to {@code err}. */
  static @Nullable CollectorSettings load(
      @Nullable Path config, Map<String, String> environment, PrintWriter err) {
    Loaded loaded = loadWithTsk(config, environment, err);
    return loaded == null ? null : loaded.settings();
  }

  /** The configuration with its settings, or null after printing every problem to {@code err}. */
  static @Nullable Loaded loadWithTsk(
      @Nullable Path config, Map<String, String> environment, PrintWriter err) {
    try {
      Tsk tsk = CollectorSettings.load(config, environment);
      return new Loaded(tsk, CollectorSettings.from(tsk));
    } catch (TskParseException | IllegalArgumentException e) {
      err.println("tskotel: " + e.getMessage());
    } catch (NoSuchFileException e) {
      err.println("tskotel: " + config + ": no such file");
    } catch (IOException e) {
      err.println("tskotel: cannot read " + config + ": " + e);
    }
    err.flush();
    return null;
  }
}
