package io.tskotel.collector.testing;

import io.tskotel.exporter.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real size-limited file system for disk-full tests: {@code mount -t tmpfs -o size=N tmpfs DIR}, unmounted
 * on close. Needs root; elsewhere the test is skipped with a clear message, except under CI (or
 * {@code TSKOTEL_REQUIRE_ALL_TESTS=1}), where it fails: the disk-full tests must run there.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path mountPoint;

  private Tmpfs(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  public static Tmpfs mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
    Files.createDirectories(mountPoint);
    boolean root = "root".equals(System.getProperty("user.name"));
    Prerequisites.require(root, "disk-full tests mount a tmpfs and need root (run the tests as root)");
    run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mountPoint.toString());
    return new Tmpfs(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** Fills the remaining space with a file, so the next write fails with ENOSPC; returns the file. */
  public Path fill(String name) throws IOException {
    Path filler = mountPoint.resolve(name);
    byte[] chunk = new byte[64 * 1024];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException expected) {
      // No space left on device: the file system is full now.
    }
    return filler;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", mountPoint.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }
}
