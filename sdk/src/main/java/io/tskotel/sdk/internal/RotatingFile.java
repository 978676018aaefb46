package io.tskotel.sdk.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * A log file that rolls over by size, and at UTC midnight when daily: {@code app.log} becomes {@code
 * app.log.1}, {@code .1} becomes {@code .2}, and the oldest beyond {@code maxFiles} is deleted. Not
 * thread-safe; the caller serializes.
 */
final class RotatingFile implements AutoCloseable {
  private final Path file;
  private final long maxBytes;
  private final int maxFiles;
  private final boolean daily;
  private final Clock clock;
  private @Nullable OutputStream out;
  private long size;
  private LocalDate day;

  RotatingFile(Path file, long maxBytes, int maxFiles, boolean daily, Clock clock) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.maxFiles = maxFiles;
    this.daily = daily;
    this.clock = clock;
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.day = today();
    if (Files.exists(file)) {
      this.size = Files.size(file);
      // A file left from an earlier day starts the new day in a file of its own.
      LocalDate modified = Files.getLastModifiedTime(file).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
      if (daily && modified.isBefore(day)) {
        rotate();
      }
    }
  }

  void write(String line) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    LocalDate now = today();
    if ((daily && !now.equals(day)) || (size > 0 && size + bytes.length > maxBytes)) {
      rotate();
      day = now;
    }
    if (out == null) {
      out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    out.write(bytes);
    size += bytes.length;
  }

  void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  private void rotate() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
    Files.deleteIfExists(numbered(maxFiles));
    for (int i = maxFiles - 1; i >= 1; i--) {
      Path from = numbered(i);
      if (Files.exists(from)) {
        Files.move(from, numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (Files.exists(file)) {
      Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    }
    size = 0;
  }

  private Path numbered(int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
