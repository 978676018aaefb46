package io.tskotel.collector.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.jspecify.annotations.Nullable;

/** The settings tests' config files: written as a user would, read as {@code tskotel run} reads them. */
final class SettingsFiles {
  private SettingsFiles() {}

  static Path write(Path dir, String name, CharSequence tsk) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, tsk);
    return file;
  }

  /** The settings from {@code file} (none: the defaults), with no environment. */
  static CollectorSettings read(@Nullable Path file) throws IOException {
    return CollectorSettings.from(CollectorSettings.load(file, Map.of()));
  }

  /** What reading {@code file} throws, asserted to be the config error. */
  static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Path file) {
    return assertThatThrownBy(() -> read(file)).isInstanceOf(IllegalArgumentException.class);
  }
}
