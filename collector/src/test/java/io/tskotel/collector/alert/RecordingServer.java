package io.tskotel.collector.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A real HTTP server on loopback standing in for Slack, PagerDuty or a webhook receiver: it records every
 * request (path, headers, body) and answers what {@link #answer} says (202 by default).
 */
final class RecordingServer implements AutoCloseable {
  record Request(String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** Decides the status of each answer; may block (a hanging receiver). */
  volatile IntSupplier answer = () -> 202;

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  RecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
      int status = answer.getAsInt();
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  List<String> bodies() {
    return requests.stream().map(Request::body).toList();
  }

  /** Waits (polling, up to 20 s) until at least {@code n} requests arrived; returns them. */
  List<Request> await(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (requests.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return requests();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
