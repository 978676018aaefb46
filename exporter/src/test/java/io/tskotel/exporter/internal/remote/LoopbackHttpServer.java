package io.tskotel.exporter.internal.remote;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on loopback that records every request the ClickHouse client sends and answers as
 * told. It stands where a ClickHouse server's HTTP interface would, to prove what goes over the wire
 * (statement, format, compression, credentials, settings) and how answers and failures are read; running
 * against a real ClickHouse server comes with the HTTP interface issue.
 */
final class LoopbackHttpServer implements AutoCloseable {
  /** One request as it arrived: URL parameters decoded, header names lower-cased, the raw body. */
  record Request(String method, Map<String, String> params, Map<String, String> headers, byte[] body) {
    String param(String name) {
      return params.get(name);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** What to answer. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    static Response ok() {
      return new Response(200, Map.of(), new byte[0]);
    }

    static Response ok(byte[] body) {
      return new Response(200, Map.of(), body);
    }

    /** A ClickHouse error as the server reports it: the code in a header and the message as the body. */
    static Response error(int status, int code, String message) {
      return new Response(
          status,
          Map.of("X-ClickHouse-Exception-Code", Integer.toString(code)),
          ("Code: " + code + ". DB::Exception: " + message + " (version 25.8.1.1)\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private final HttpServer server;
  private final String scheme;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Response> answer = request -> Response.ok();

  LoopbackHttpServer() throws IOException {
    this(null);
  }

  /** Serves HTTPS with {@code tls} when given, else plain HTTP. */
  LoopbackHttpServer(@Nullable SSLContext tls) throws IOException {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 0);
      scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
      scheme = "https";
    }
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach(
                (name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
            Request request = new Request(exchange.getRequestMethod(),
                params(exchange.getRequestURI().getRawQuery()), headers, exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Response response = answer.apply(request);
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
              exchange.getResponseBody().write(response.body());
            }
          }
        });
    server.start();
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(name, value);
      }
    }
    return params;
  }

  /** Answers every following request with {@code answer}. */
  LoopbackHttpServer answer(Function<Request, Response> answer) {
    this.answer = answer;
    return this;
  }

  URI uri() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
