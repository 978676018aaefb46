package io.tskotel.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Debian {@code redis-server} on a free loopback port, no persistence, for one test class. Missing binary:
 * the test is skipped locally and fails under CI ({@code CI=true} or {@code TSKOTEL_REQUIRE_ALL_TESTS=1}), as the
 * exporter's Prerequisites do.
 */
public final class RedisServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static RedisServer start(Path dir) throws IOException {
    Path binary = Path.of("/usr/bin/redis-server");
    if (!Files.isExecutable(binary)) {
      String message = "redis-server not found (apt-get install redis-server; .ci/run does)";
      if ("true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("TSKOTEL_REQUIRE_ALL_TESTS"))) {
        throw new AssertionError("missing test prerequisite: " + message);
      }
      Assumptions.abort(message);
    }
    int port = freePort();
    Process p = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    RedisServer server = new RedisServer(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!server.ping()) {
      assertThat(p.isAlive()).as("redis-server running; log: %s", dir.resolve("redis.log")).isTrue();
      assertThat(System.nanoTime()).as("redis-server answering PING").isLessThan(deadline);
      LockSupport.parkNanos(20_000_000);
    }
    return server;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  private boolean ping() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = in.readNBytes(buf, 0, 7);
      return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server and waits for it to exit. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
