package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.tsk.TskParseException;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Loads {@link CollectorSettings} for a command, printing what is wrong instead of a stack trace. */
final class Settings {
  private Settings() {}

  static @Nullable CollectorSettings load(@Nullable Path config) {
    try {
      return CollectorSettings.from(CollectorSettings.load(config, System.getenv()));
    } catch (TskParseException | IllegalArgumentException e) {
      System.err.println("tskotel: " + e.getMessage());
    } catch (IOException e) {
      System.err.println("tskotel: cannot read " + config + ": " + e);
    }
    return null;
  }
}
