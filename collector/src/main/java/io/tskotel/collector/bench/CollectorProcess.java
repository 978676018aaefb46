package io.tskotel.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.cli.JvmOptions;
import io.tskotel.collector.config.CollectorSettings;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The collector under test as its own process ({@code tskotel run}, default settings but loopback ports and
 * the bench's directory), so its CPU and memory are its own and not the load generator's.
 */
final class CollectorProcess implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final int grpcPort;
  final int httpPort;
  final int adminPort;
  private final Process process;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private CollectorProcess(Process process, int grpcPort, int httpPort, int adminPort) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
  }

  /** Starts {@code tskotel run} on the same Java and class path as this process, and waits until it is ready. */
  static CollectorProcess start(Path dir, Path log, int batchWriters, List<String> collectorSettings,
      List<String> storageSettings, List<String> jvmOptions, Duration timeout)
      throws IOException, InterruptedException {
    int[] ports = freePorts(4);
    Path config = dir.resolve("bench.tsk");
    Files.writeString(config, """
        [collector]
        grpc_host: "127.0.0.1"
        grpc_port: %d
        http_host: "127.0.0.1"
        http_port: %d
        queue_dir: "%s"
        %s
        [admin]
        host: "127.0.0.1"
        port: %d
        grpc_port: %d

        [storage]
        data_path: "%s"
        %s""".formatted(ports[0], ports[1], dir.resolve("queue"), lines(collectorSettings), ports[2], ports[3],
        dir.resolve("chdb"),
        (batchWriters > 0 ? "batch_writers: " + batchWriters + "\n" : "")
            + lines(storageSettings)));
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    // The heap and GC from the configuration, as the tskotel script gives them to `tskotel run`; the bench's
    // own options after them (ours left out where they conflict).
    command.addAll(JvmOptions.of(CollectorSettings.from(CollectorSettings.load(config, System.getenv())), jvmOptions));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(absoluteClassPath(System.getProperty("java.class.path")));
    command.add("io.tskotel.collector.cli.Main");
    command.add("run");
    command.add("-c");
    command.add(config.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // The C library's malloc arenas, as the tskotel script sets them for `tskotel run`.
    builder.environment().putIfAbsent(JvmOptions.MALLOC_ARENAS_VARIABLE, JvmOptions.MALLOC_ARENAS);
    Process p = builder.start();
    CollectorProcess c = new CollectorProcess(p, ports[0], ports[1], ports[2]);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!c.ready()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        c.close();
        throw new IOException("the collector under test did not become ready (see " + log + ")");
      }
      Thread.sleep(200); // polling a starting process against the deadline above
    }
    return c;
  }

  /**
   * A class path with every entry made absolute: the collector runs in its own directory, so
   * {@code java -jar collector/target/tskotel.jar bench} would otherwise name a jar it cannot find.
   */
  static String absoluteClassPath(String classPath) {
    return Arrays.stream(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String lines(List<String> settings) {
    return settings.stream().map(s -> s + "\n").collect(Collectors.joining());
  }

  URI statusUrl() {
    return URI.create("http://127.0.0.1:" + adminPort + "/status");
  }

  /** The {@code process} entry of {@code /status}: CPU split, resident memory. */
  JsonNode processStatus() throws IOException, InterruptedException {
    return status().path("process");
  }

  /** All of {@code /status}: the process, and per signal the pipeline's counters ({@code pipeline.signals}). */
  JsonNode status() throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(statusUrl()).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return MAPPER.readTree(r.body());
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/ready"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
    return ports;
  }

  /** SIGTERM (the collector drains and exits), then a forced stop if it has not exited within a minute. */
  @Override
  public void close() {
    http.close();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
