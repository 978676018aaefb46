package com.example.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.context.Scope;
import io.tskotel.sdk.Trace;
import io.tskotel.sdk.TskTelemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A shop with one endpoint, {@code POST /checkout}, instrumented with the tskotel sdk: each request is a trace,
 * a request log line and request metrics; each payment feeds the business metrics the collector's
 * {@code revenueToday} and {@code paymentSuccessRate} read. {@code /health}, {@code /ready}, {@code /live} are
 * mounted on the same server.
 */
public final class ShopApp {
  private final TskTelemetry telemetry;

  ShopApp(TskTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  public static void main(String[] args) throws IOException {
    TskTelemetry telemetry = TskTelemetry.load(Path.of(args.length > 0 ? args[0] : "app.tsk"));
    ShopApp app = new ShopApp(telemetry);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8000), 0);
    server.createContext("/checkout", app::checkout);
    // The same answers as the built-in health server, mounted in the app's own server.
    server.createContext("/health", telemetry.healthHandler());
    server.createContext("/ready", telemetry.healthHandler());
    server.createContext("/live", telemetry.healthHandler());
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(1);
      telemetry.close(); // flushes what is still buffered
    }));
    telemetry.logInfo("shop started", Map.of("port", 8000));
  }

  void checkout(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    Trace trace = telemetry.startTrace("POST /checkout");
    int status;
    try (Scope ignored = trace.makeCurrent()) {
      double amount = 5 + ThreadLocalRandom.current().nextInt(100);
      boolean paid = ThreadLocalRandom.current().nextInt(10) > 0; // 90 % of payments succeed
      telemetry.addTraceTag(trace, "payment.amount", amount);
      telemetry.trackPayment(amount, paid, "card");
      status = paid ? 200 : 402;
      telemetry.endTrace(trace, paid ? "OK" : "ERROR", null);
    } catch (RuntimeException e) {
      telemetry.logError("checkout failed", e, Map.of("request_id", requestId));
      telemetry.endTrace(trace, "ERROR", e);
      status = 500;
    }
    byte[] body = ("{\"request_id\":\"" + requestId + "\"}").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
    telemetry.logRequest(requestId, "POST", "/checkout", status, (System.nanoTime() - start) / 1e9, null);
  }
}
