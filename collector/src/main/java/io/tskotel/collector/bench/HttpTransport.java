package io.tskotel.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP/HTTP (protobuf or JSON) over {@code connections} HTTP/1.1 clients, requests spread round robin. 429,
 * 502, 503 and 504 are retryable as the OTLP spec says, with the {@code Retry-After} the collector gave.
 */
final class HttpTransport implements Transport {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LoadConfig config;
  private final URI uri;
  private final boolean json;
  private final List<HttpClient> clients = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  HttpTransport(LoadConfig config) {
    this.config = config;
    this.uri = config.endpoint().resolve(config.signal().path());
    this.json = config.protocol() == LoadConfig.Protocol.HTTP_JSON;
    for (int i = 0; i < config.connections(); i++) {
      clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build());
    }
  }

  @Override
  public CompletableFuture<Answer> send(byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .header("Content-Type", json ? "application/json" : "application/x-protobuf")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (config.token() != null) {
      request.header("Authorization", "Bearer " + config.token());
    }
    HttpClient client = clients.get(Math.floorMod(next.getAndIncrement(), clients.size()));
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> failure != null
            ? new Answer(Outcome.RETRYABLE, 0, 0, failure.getClass().getSimpleName())
            : answer(response));
  }

  private Answer answer(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status == 200) {
      return Answer.accepted(rejected(response.body()));
    }
    if (status == 429 || status == 502 || status == 503 || status == 504) {
      long retryAfter = response.headers().firstValue("Retry-After").map(HttpTransport::seconds).orElse(0L);
      return new Answer(Outcome.RETRYABLE, 0, retryAfter * 1000, "HTTP " + status);
    }
    return new Answer(Outcome.REFUSED, 0, 0, "HTTP " + status);
  }

  private static long seconds(String retryAfter) {
    try {
      return Math.max(0, Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      return 1; // an HTTP date: wait a little rather than parse it
    }
  }

  private long rejected(byte[] body) {
    if (body.length == 0) {
      return 0;
    }
    try {
      if (json) {
        JsonNode partial = MAPPER.readTree(body).path("partialSuccess");
        return partial.path(switch (config.signal()) {
          case TRACES -> "rejectedSpans";
          case METRICS -> "rejectedDataPoints";
          case LOGS -> "rejectedLogRecords";
        }).asLong(0);
      }
      return Transport.rejectedItems(config.signal(), body);
    } catch (IOException e) {
      return 0; // an unreadable JSON answer still means accepted
    }
  }

  @Override
  public void close() {
    for (HttpClient c : clients) {
      c.close();
    }
  }
}
